import { EventEnvelope, ResidentMovedData, ResidentRegisteredData } from '@cg/contracts';
import { Types } from 'mongoose';
import { Residency } from './residency.schema';

/** Whether an incoming record replaces the stored one: only a strictly later revision does (none counts as 0). */
export function supersedes(
  stored: Pick<Residency, 'revision'> | null,
  incoming: Pick<Residency, 'revision'>,
): boolean {
  return !stored || (incoming.revision ?? 0) > (stored.revision ?? 0);
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
