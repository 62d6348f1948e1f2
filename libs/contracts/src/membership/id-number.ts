/** GB 11643-1999: weights of the first 17 digits, and the check character for each sum modulo 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^[0-9]{17}[0-9X]$/;

/** The check character the first 17 digits of a citizen ID number call for. */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Why `id` is not a valid citizen ID number (GB 11643-1999), or undefined when it is: 18 characters, 17 digits and a
 * digit or upper-case X, a birth date (characters 7-14) that is a real day from 1900-01-01 up to `today`, and the
 * right check character.
 */
export function idNumberProblem(id: string, today: Date = new Date()): string | undefined {
  if (!SHAPE.test(id)) return 'must be 18 characters: 17 digits and a digit or X';
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const isDay =
    birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!isDay || year < 1900 || birth.getTime() > today.getTime()) return 'must hold a valid date of birth';
  if (idNumberCheckCharacter(id) !== id[17]) return 'has a wrong check digit';
  return undefined;
}

export function isValidIdNumber(id: string, today?: Date): boolean {
  return idNumberProblem(id, today) === undefined;
}
