import { isDuplicateKey } from './duplicate-key';
import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';

/**
 * Inserts many documents in one round trip, leaving out those a unique key refuses: answers the positions of the
 * refused ones. Any other error is thrown. Insert-if-absent for a batch: a repeated document changes nothing.
 */
export async function insertAbsent<T extends Document>(
  collection: Collection<T>,
  docs: OptionalUnlessRequiredId<T>[],
): Promise<Set<number>> {
  const refused = new Set<number>();
  if (docs.length === 0) return refused;
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (error) {
    const failed = error as { writeErrors?: { code?: number; index: number }[] | { code?: number; index: number } };
    const writeErrors = Array.isArray(failed.writeErrors) ? failed.writeErrors : failed.writeErrors ? [failed.writeErrors] : [];
    if (writeErrors.length === 0 || !writeErrors.every(isDuplicateKey)) throw error;
    for (const e of writeErrors) refused.add(e.index);
  }
  return refused;
}
