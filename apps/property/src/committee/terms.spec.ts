import { CommitteeRole, TermStatus } from '@cg/contracts';
import { byRole, compositionErrors, dayBefore, endOf, isDay, statusOn, termDateErrors } from './terms';

const member = (n: number, role = CommitteeRole.Member) => ({ personId: `p${n}`, role });

describe("the owners' committee composition", () => {
  it('accepts three to fifteen members with exactly one chair', () => {
    expect(
      compositionErrors([member(1, CommitteeRole.Chair), member(2, CommitteeRole.ViceChair), member(3)]),
    ).toEqual([]);
    const fifteen = [member(0, CommitteeRole.Chair), ...Array.from({ length: 14 }, (_, i) => member(i + 1))];
    expect(compositionErrors(fifteen)).toEqual([]);
  });

  it('refuses two members, sixteen members, no chair, two chairs and a person listed twice', () => {
    expect(compositionErrors([member(1, CommitteeRole.Chair), member(2)]).map((e) => e.reason)).toEqual([
      'a committee has 3 to 15 members, not 2',
    ]);
    const sixteen = [member(0, CommitteeRole.Chair), ...Array.from({ length: 15 }, (_, i) => member(i + 1))];
    expect(compositionErrors(sixteen)).toHaveLength(1);
    expect(compositionErrors([member(1), member(2), member(3)]).map((e) => e.reason)).toEqual([
      'a committee has exactly one chair, not 0',
    ]);
    expect(
      compositionErrors([member(1, CommitteeRole.Chair), member(2, CommitteeRole.Chair), member(3)]),
    ).toHaveLength(1);
    expect(
      compositionErrors([member(1, CommitteeRole.Chair), member(2), member(2)]).map((e) => e.reason),
    ).toEqual(['person p2 is listed twice']);
  });

  it('lists the chair first, then vice-chairs, then members, each in the order given', () => {
    const ordered = byRole([
      member(1),
      member(2, CommitteeRole.ViceChair),
      member(3, CommitteeRole.Chair),
      member(4),
      member(5, CommitteeRole.ViceChair),
    ]);
    expect(ordered.map((m) => m.personId)).toEqual(['p3', 'p2', 'p5', 'p1', 'p4']);
  });
});

describe('term dates', () => {
  it('knows a real calendar day and the day before, across months and leap years', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2025-02-29')).toBe(false);
    expect(isDay('2025-13-01')).toBe(false);
    expect(isDay('2025-1-01')).toBe(false);
    expect(dayBefore('2025-03-01')).toBe('2025-02-28');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
    expect(dayBefore('2025-01-01')).toBe('2024-12-31');
  });

  it('wants a term to end on or after its first day and to start after the latest term started', () => {
    expect(termDateErrors('2025-07-01', '2025-07-01')).toEqual([]);
    expect(termDateErrors('2025-07-01', '2025-06-30').map((e) => e.field)).toEqual(['endsOn']);
    expect(termDateErrors('2025-07-01', '2030-06-30', '2025-07-01').map((e) => e.field)).toEqual([
      'startsOn',
    ]);
    expect(termDateErrors('2025-07-02', '2030-06-30', '2025-07-01')).toEqual([]);
    expect(termDateErrors('2025-07-32', 'soon').map((e) => e.field)).toEqual(['startsOn', 'endsOn']);
  });
});

describe('how a term ends and whether it sits on a day', () => {
  const term = { startsOn: '2020-07-01', endsOn: '2025-06-30' };

  it('runs to its planned last day when nothing else happens', () => {
    expect(endOf(term)).toBeUndefined();
    expect(statusOn(term, undefined, '2020-06-30')).toBe(TermStatus.Upcoming);
    expect(statusOn(term, undefined, '2020-07-01')).toBe(TermStatus.Sitting);
    expect(statusOn(term, undefined, '2025-06-30')).toBe(TermStatus.Sitting);
    expect(statusOn(term, undefined, '2025-07-01')).toBe(TermStatus.Ended);
  });

  it('ends the day before the next term starts, when that is earlier', () => {
    const end = endOf(term, { startsOn: '2024-01-01', endsOn: '2028-12-31' });
    expect(end).toEqual({ endedOn: '2023-12-31', reason: 'The next term started' });
    expect(statusOn(term, end, '2023-12-31')).toBe(TermStatus.Sitting);
    expect(statusOn(term, end, '2024-01-01')).toBe(TermStatus.Ended);
    expect(endOf(term, { startsOn: '2025-07-01', endsOn: '2030-06-30' })).toBeUndefined();
  });

  it('takes the earlier of a recorded early end and the next start', () => {
    const early = { endedOn: '2023-03-31', reason: 'Dissolved by the assembly', by: 'staff' };
    expect(endOf(term, { startsOn: '2024-01-01', endsOn: '2028-12-31' }, early)).toEqual(early);
    expect(endOf(term, { startsOn: '2023-02-01', endsOn: '2028-12-31' }, early)?.endedOn).toBe('2023-01-31');
    expect(statusOn(term, early, '2023-04-01')).toBe(TermStatus.Ended);
  });
});
