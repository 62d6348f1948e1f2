import { Types, type FilterQuery } from 'mongoose';
import { DomainException, ErrorCode } from '@cg/contracts';

/** A filter on a community's documents: the compiler demands the tenant key. */
export type CommunityFilter<T> = FilterQuery<T> & { communityId: Types.ObjectId };

export function objectId(value: string, code: ErrorCode = ErrorCode.NOT_FOUND): Types.ObjectId {
  if (!Types.ObjectId.isValid(value) || String(new Types.ObjectId(value)) !== value.toLowerCase()) {
    throw new DomainException(code, `No such id: ${value}`);
  }
  return new Types.ObjectId(value);
}

/** Keyset pagination on `_id`: stable under inserts, one index seek per page. */
export function pageFilter(cursor?: string): FilterQuery<unknown> {
  return cursor ? { _id: { $gt: objectId(cursor, ErrorCode.VALIDATION_FAILED) } } : {};
}

/** `text` as a regular expression that matches it literally, for prefix and word searches. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
