import { AUDITED_EVENTS, MembershipEvents, Relation, newEvent } from '@cg/contracts';
import {
  auditConsumerName,
  cursorOf,
  entryOf,
  parseCursor,
  revealWaitSeconds,
  withoutPersonalNumbers,
} from './audit-rules';

describe('audit entries', () => {
  const communityId = '65f000000000000000000001';
  const registered = AUDITED_EVENTS.find((a) => a.event.type === MembershipEvents.residentRegistered.type)!;
  const event = newEvent(
    MembershipEvents.residentRegistered,
    {
      personId: 'p1',
      name: 'Li Ming',
      unitId: 'u1',
      buildingId: 'b1',
      gridId: 'g1',
      relation: Relation.Owner,
    },
    { communityId, actor: 'staff-1', correlationId: 'c1' },
  );

  it('records an event under its own id, naming the object it changed', () => {
    expect(entryOf(registered, event)).toMatchObject({
      _id: event.id,
      actor: 'staff-1',
      action: 'evt.membership.resident.registered',
      object: { kind: 'resident', id: 'p1' },
      summary: 'Li Ming registered into unit u1 as owner',
    });
  });

  it('records nothing for an event outside any community', () => {
    expect(entryOf(registered, { ...event, communityId: '' })).toBeUndefined();
  });

  it('never keeps phone or ID numbers in the details, at any depth', () => {
    expect(
      withoutPersonalNumbers({
        name: 'Li',
        phone: '13800001234',
        people: [{ idNumber: '11010519491231002X', unitId: 'u1' }],
      }),
    ).toEqual({
      name: 'Li',
      people: [{ unitId: 'u1' }],
    });
  });

  it('reads back the cursor it writes and refuses anything else', () => {
    const at = new Date('2026-12-02T10:00:00.123Z');
    expect(parseCursor(cursorOf({ at, _id: '8d0c4c1e-0000-4000-8000-000000000001' }))).toEqual({
      at,
      id: '8d0c4c1e-0000-4000-8000-000000000001',
    });
    expect(parseCursor('nonsense')).toBeUndefined();
  });

  it('waits until the oldest reveal of a full hour leaves the window, and not at all below the limit', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    const times = [new Date('2026-12-02T09:10:00Z'), new Date('2026-12-02T09:30:00Z')];
    expect(revealWaitSeconds(times, 3, 3_600_000, now)).toBeUndefined();
    expect(revealWaitSeconds(times, 2, 3_600_000, now)).toBe(600);
    expect(revealWaitSeconds([new Date('2026-12-02T09:00:00.500Z')], 1, 3_600_000, now)).toBe(1);
  });

  it('gives every audited event type its own durable consumer name', () => {
    const names = AUDITED_EVENTS.map((a) => auditConsumerName(a.event.type));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('membership-audit-membership-ownership-recorded');
    expect(names.every((n) => /^[a-z0-9-]+$/.test(n))).toBe(true);
  });
});
