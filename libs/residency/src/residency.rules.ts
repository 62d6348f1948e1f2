import { EventEnvelope, ResidentMovedData, ResidentRegisteredData } from '@cg/contracts';
import { Types } from 'mongoose';
import type { FilterQuery } from 'mongoose';
import { Residency } from './residency.schema';

/**
 * The stored record an incoming one may replace, as a filter for one conditional write: only a strictly earlier
 * revision (a record without one counts as 0). A registration (revision 0) replaces nothing; it is only inserted.
 */
export function replacedBy(incoming: Pick<Residency, 'revision'>): FilterQuery<Residency> {
  const revision = incoming.revision ?? 0;
  return revision > 0
    ? { $or: [{ revision: { $lt: revision } }, { revision: { $exists: false } }] }
    : { revision: { $lt: 0 } };
}

/** The record a registration makes: revision 0, which any move replaces. */
export function fromRegistration(
  event: EventEnvelope<ResidentRegisteredData>,
  keepNames: boolean,
): Residency {
  const { data } = event;
  return {
    _id: new Types.ObjectId(data.personId),
    communityId: new Types.ObjectId(event.communityId),
    unitId: new Types.ObjectId(data.unitId),
    buildingId: new Types.ObjectId(data.buildingId),
    gridId: new Types.ObjectId(data.gridId),
    ...(keepNames && { name: data.name }),
    relation: data.relation,
    sourceEventId: event.id,
    since: new Date(event.occurredAt),
  };
}

/**
 * The record a move makes. A move out keeps the last place and marks it left; a move with neither place (out
 * again after moving out) has nothing to show and makes none.
 */
export function fromMove(event: EventEnvelope<ResidentMovedData>, keepNames: boolean): Residency | null {
  const { data } = event;
  const place = data.to ?? data.from;
  if (!place) return null;
  return {
    _id: new Types.ObjectId(data.personId),
    communityId: new Types.ObjectId(event.communityId),
    unitId: new Types.ObjectId(place.unitId),
    buildingId: new Types.ObjectId(place.buildingId),
    gridId: new Types.ObjectId(place.gridId),
    ...(keepNames && { name: data.name }),
    relation: data.relation,
    sourceEventId: event.id,
    since: new Date(data.movedAt),
    revision: data.revision,
    ...(!data.to && { leftAt: new Date(data.movedAt) }),
  };
}
