import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLISHED_SECRETS, secretWeakness } from './secret-strength';

const ROOT = join(__dirname, '../../..');

/** Files where a secret could be written down for others to copy. */
function publishedFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', '.local', '.git'].includes(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return publishedFiles(path);
    return /\.(ya?ml|md|sh|ts)$|^\.env/.test(name) ? [path] : [];
  });
}

describe('the signing secret strength check', () => {
  it('refuses every JWT_SECRET value written in this repository', () => {
    const written = publishedFiles().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/JWT_SECRET["']?\s*[:=]\s*["']?(?:\$\{JWT_SECRET:-)?([^\s"'`}]+)/g)].map((m) => m[1]),
    );
    const literal = written.filter((value) => !value.startsWith('$') && value !== '...');
    expect(literal.length).toBeGreaterThan(0);
    expect(literal.filter((value) => !secretWeakness(value))).toEqual([]);
    expect(PUBLISHED_SECRETS.filter((value) => !secretWeakness(value))).toEqual([]);
  });

  it('refuses the shapes of the secrets the tests and examples make up', () => {
    for (const value of [`e2e-secret-${'ab12'.repeat(4)}-0123456789`, `chaos-secret-1a2b3c4d5e-0123456789`, 'please-change-me-now-0a1b2c3d4e5f6g7h']) {
      expect(secretWeakness(value)).toBe('is a published default or placeholder');
    }
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(secretWeakness(randomBytes(16).toString('hex').slice(0, 31))).toBe('is shorter than 32 bytes');
  });

  it('refuses a long secret with little variety or a repeated block', () => {
    expect(secretWeakness('a'.repeat(64))).toBe('has too little variety to be random');
    expect(secretWeakness('abababababababababababababababababab')).toBe('has too little variety to be random');
    expect(secretWeakness('Kx9#mQ2!vL'.repeat(4))).toBe('has too little variety to be random');
  });

  it('accepts random secrets as openssl makes them', () => {
    for (let i = 0; i < 50; i++) {
      expect(secretWeakness(randomBytes(48).toString('base64'))).toBeUndefined();
      expect(secretWeakness(randomBytes(32).toString('hex'))).toBeUndefined();
    }
  });
});
