import { MembershipEvents, Relation, ResidencePlace, ResidentMovedData, newEvent } from '@cg/contracts';
import { Types } from 'mongoose';
import { fromMove, fromRegistration, replacedBy } from './residency.rules';

const oid = () => new Types.ObjectId().toHexString();
const place = (): ResidencePlace => ({ unitId: oid(), buildingId: oid(), gridId: oid() });
const meta = { communityId: oid(), actor: 'staff', correlationId: 'corr' };

function moved(revision: number, from: ResidencePlace | null, to: ResidencePlace | null) {
  const data: ResidentMovedData = {
    personId: oid(),
    name: 'Sun Li',
    from,
    to,
    relation: Relation.Tenant,
    movedAt: '2025-03-01T08:00:00.000Z',
    revision,
    reason: to ? 'moved' : 'moved_out',
  };
  return newEvent(MembershipEvents.residentMoved, data, meta);
}

describe('which residence record wins', () => {
  it('lets a move replace only a record of an earlier revision, or of none', () => {
    expect(replacedBy({ revision: 2 })).toEqual({ $or: [{ revision: { $lt: 2 } }, { revision: { $exists: false } }] });
  });

  it('lets a registration, which has no revision, replace nothing', () => {
    expect(replacedBy({})).toEqual({ revision: { $lt: 0 } });
    expect(replacedBy({ revision: 0 })).toEqual({ revision: { $lt: 0 } });
  });
});

describe('records built from membership events', () => {
  it('places a registered resident where they registered, keeping the name only when asked', () => {
    const at = place();
    const event = newEvent(
      MembershipEvents.residentRegistered,
      { personId: oid(), name: 'Zhao Lei', ...at, relation: Relation.Owner },
      meta,
    );
    const named = fromRegistration(event, true);
    expect(named).toMatchObject({ name: 'Zhao Lei', relation: Relation.Owner, sourceEventId: event.id });
    expect(String(named._id)).toBe(event.data.personId);
    expect(String(named.communityId)).toBe(meta.communityId);
    expect(String(named.unitId)).toBe(at.unitId);
    expect(named.since).toEqual(new Date(event.occurredAt));
    expect(named.revision).toBeUndefined();
    expect('name' in fromRegistration(event, false)).toBe(false);
  });

  it('places a moved resident at the new place with the revision of the move', () => {
    const to = place();
    const event = moved(2, place(), to);
    const record = fromMove(event, true)!;
    expect(record).toMatchObject({ revision: 2, name: 'Sun Li', sourceEventId: event.id });
    expect(String(record.buildingId)).toBe(to.buildingId);
    expect(String(record.gridId)).toBe(to.gridId);
    expect(record.since).toEqual(new Date('2025-03-01T08:00:00.000Z'));
    expect(record.leftAt).toBeUndefined();
  });

  it('keeps the last place of a resident who moved out and marks when they left', () => {
    const from = place();
    const record = fromMove(moved(3, from, null), false)!;
    expect(String(record.unitId)).toBe(from.unitId);
    expect(record.leftAt).toEqual(new Date('2025-03-01T08:00:00.000Z'));
    expect('name' in record).toBe(false);
  });

  it('makes no record for a move with neither a place before nor after', () => {
    expect(fromMove(moved(4, null, null), true)).toBeNull();
  });
});
