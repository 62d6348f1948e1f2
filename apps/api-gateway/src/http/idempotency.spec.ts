import { requestFingerprint, writeDigest } from './idempotency';

describe('what makes two requests one write', () => {
  it('the same method, path and body, whatever the order of its fields', () => {
    expect(requestFingerprint('POST', '/api/v1/x', { a: 1, b: { c: 2, d: 3 } })).toBe(
      requestFingerprint('POST', '/api/v1/x', { b: { d: 3, c: 2 }, a: 1 }),
    );
  });

  it('another body, path or method is another request', () => {
    const base = requestFingerprint('POST', '/api/v1/x', { a: 1 });
    expect(requestFingerprint('POST', '/api/v1/x', { a: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/y', { a: 1 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/api/v1/x', { a: 1 })).not.toBe(base);
  });

  it('keys are the caller’s own', () => {
    expect(writeDigest('acct-1', 'k')).not.toBe(writeDigest('acct-2', 'k'));
    expect(writeDigest('acct-1', 'k')).toMatch(/^[0-9a-f]{40}$/);
  });
});
