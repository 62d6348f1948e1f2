/** Signing secrets published in this repository (compose, docs, examples, tests): anyone can forge with them. */
export const PUBLISHED_SECRETS: readonly string[] = [
  'local-development-secret-change-me',
  'compose-local-jwt-secret-change-me',
  'REPLACE-WITH-A-LONG-RANDOM-SECRET',
  'a-different-secret-entirely',
];

/** Shapes of the secrets the tests and examples make up, and of placeholders people leave in. */
const PUBLISHED_SHAPES = [/change-?me/i, /replace-?with/i, /e2e-secret-/i, /chaos-secret-/i, /0123456789/, /^(secret|password|jwt)/i];

export const MIN_SECRET_BYTES = 32;
const MIN_DISTINCT_CHARACTERS = 10;
const MIN_BITS_PER_CHARACTER = 3;

/** Why `secret` must not sign production tokens, or undefined when it may. */
export function secretWeakness(secret: string): string | undefined {
  if (PUBLISHED_SECRETS.some((known) => known.toLowerCase() === secret.toLowerCase()) || PUBLISHED_SHAPES.some((shape) => shape.test(secret))) {
    return 'is a published default or placeholder';
  }
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) return `is shorter than ${MIN_SECRET_BYTES} bytes`;
  const counts = new Map<string, number>();
  for (const character of secret) counts.set(character, (counts.get(character) ?? 0) + 1);
  const length = [...secret].length;
  const bitsPerCharacter = [...counts.values()].reduce((bits, n) => bits - (n / length) * Math.log2(n / length), 0);
  if (counts.size < MIN_DISTINCT_CHARACTERS || bitsPerCharacter < MIN_BITS_PER_CHARACTER || isRepetition(secret)) {
    return 'has too little variety to be random';
  }
  return undefined;
}

/** "abcabcabc…": the whole string is a shorter block repeated. */
function isRepetition(secret: string): boolean {
  return (secret + secret).indexOf(secret, 1) < secret.length;
}
