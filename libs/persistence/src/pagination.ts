import { Page } from '@cg/contracts';
import type { FilterQuery, Model, ProjectionType, Types } from 'mongoose';
import { pageFilter } from './scoping';

/** A page request as lists take it: `limit` items after the opaque `cursor`. */
export interface PageRequest {
  cursor?: string;
  limit: number;
}

/**
 * The one way lists page: keyset on `_id` ascending after the cursor, one extra document read to know whether
 * another page follows. `map` turns a stored document into what the list answers.
 */
export async function paginate<D extends { _id: Types.ObjectId }, V>(
  model: Model<D>,
  filter: FilterQuery<D>,
  page: PageRequest,
  map: (doc: D) => V,
  projection?: ProjectionType<D>,
): Promise<Page<V>> {
  const docs = await model
    .find({ ...filter, ...pageFilter(page.cursor) } as FilterQuery<D>, projection)
    .sort({ _id: 1 })
    .limit(page.limit + 1)
    .lean<D[]>()
    .exec();
  return toPage(docs, page.limit, map);
}

export function toPage<D extends { _id: Types.ObjectId }, V>(docs: D[], limit: number, map: (doc: D) => V): Page<V> {
  const items = docs.slice(0, limit).map(map);
  return docs.length > limit ? { items, nextCursor: String(docs[limit - 1]._id) } : { items };
}
