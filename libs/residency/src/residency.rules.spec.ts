import { MembershipEvents, Relation, ResidencePlace, ResidentMovedData, newEvent } from '@cg/contracts';
import { Types } from 'mongoose';
import { fromMove, fromRegistration, supersedes } from './residency.rules';

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
  it('takes any record when nothing is stored yet', () => {
    expect(supersedes(null, { revision: 0 })).toBe(true);
    expect(supersedes(null, {})).toBe(true);
  });

  it('replaces a record only with a strictly later revision', () => {
    expect(supersedes({ revision: 1 }, { revision: 2 })).toBe(true);
    expect(supersedes({ revision: 2 }, { revision: 2 })).toBe(false);
    expect(supersedes({ revision: 3 }, { revision: 2 })).toBe(false);
  });

  it('counts a registration, which has no revision, as revision 0', () => {
    expect(supersedes({}, { revision: 1 })).toBe(true);
    expect(supersedes({ revision: 1 }, {})).toBe(false);
    expect(supersedes({}, {})).toBe(false);
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
