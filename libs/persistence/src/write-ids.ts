import { currentScope } from '@cg/observability';
import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

const WRITE_KEY = /^(\d{1,10})\.([0-9a-f]{16,128})$/;

/**
 * The id of a document this request creates. A write the client may retry (it came with an Idempotency-Key, which
 * the gateway turned into the scope's write key) gets the same id on every attempt: the second attempt's insert
 * meets the first one's document on `_id`, the one index every server has. `purpose` tells apart the documents one
 * write creates ('case', 'case:event', `vote:${n}`). The id keeps the first attempt's time in its leading bytes, so
 * lists ordered by `_id` stay in creation order. Without a write key the id is a fresh ObjectId.
 */
export function newId(purpose: string): Types.ObjectId {
  const key = currentScope()?.writeKey;
  const parts = key ? WRITE_KEY.exec(key) : null;
  if (!parts) return new Types.ObjectId();
  return writeId(Number(parts[1]), parts[2], purpose);
}

/** The id `newId` gives for `purpose` within the write `digest` first seen at `seconds`: pure, for tests. */
export function writeId(seconds: number, digest: string, purpose: string): Types.ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(seconds >>> 0, 0);
  createHash('sha256').update(digest).update('\0').update(purpose).digest().copy(bytes, 4, 0, 8);
  return new Types.ObjectId(bytes);
}

/**
 * Inserts `doc`, or, when a document with its `_id` is already there (the same write retried), answers that one:
 * the retry creates nothing and answers what the first attempt created. Any other unique-index refusal is thrown
 * as the caller's race to decide.
 */
export async function insertOnce<D extends { _id: Types.ObjectId }>(
  model: Model<D>,
  doc: D,
): Promise<{ doc: D; created: boolean }> {
  try {
    return { doc: (await model.create(doc)).toObject() as D, created: true };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const first = await model.findById(doc._id).lean<D>().exec();
    if (first) return { doc: first, created: false };
    throw error;
  }
}
