import type { FilterQuery, Model, ProjectionType } from 'mongoose';
import { Types } from 'mongoose';
import sift from 'sift';

/**
 * One document by `_id`, the rest of the filter (the tenant key, a kind, a status) checked on the document found:
 * the same answer as `findOne(filter)`, asked as a lookup by `_id` alone. MongoDB serves both from an index, but
 * mongo-java-server uses an index only when a filter has exactly its fields, so `{communityId, _id}` would scan the
 * collection there. The projection must keep the fields the filter names. A filter without a plain `_id` value is
 * passed on as it is.
 */
export async function findOneById<D>(
  model: Model<D>,
  filter: FilterQuery<D>,
  projection?: ProjectionType<D>,
): Promise<D | null> {
  const { _id, ...rest } = filter as Record<string, unknown>;
  const plain =
    _id !== undefined && _id !== null && (typeof _id !== 'object' || _id instanceof Types.ObjectId);
  if (!plain) return model.findOne(filter, projection).lean<D>().exec();
  const found = await model
    .findOne({ _id } as FilterQuery<D>, projection)
    .lean<D>()
    .exec();
  return found && sift(rest as never)(found) ? found : null;
}
