/** True for the error a unique index raises on a second insert of the same key: the race was lost, not broken. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | undefined)?.code === 11000;
}
