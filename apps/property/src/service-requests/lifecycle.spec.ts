import { ServiceRequestAction as A, ServiceRequestCategory, ServiceRequestStatus as S } from '@cg/contracts';
import { categoryOfCase, deadlinesFor, isOverdue, mayTake, nextStatus, resolvedOnTime } from './lifecycle';

describe('the service request lifecycle', () => {
  it.each([
    [S.Open, A.Accept, S.Accepted],
    [S.Accepted, A.Start, S.InProgress],
    [S.Accepted, A.Resolve, S.Resolved],
    [S.InProgress, A.Resolve, S.Resolved],
    [S.Resolved, A.Reopen, S.InProgress],
    [S.Resolved, A.Close, S.Closed],
    [S.Open, A.Cancel, S.Cancelled],
    [S.Accepted, A.Cancel, S.Cancelled],
  ])('moves a %s request on %s to %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it('refuses every other step', () => {
    const legal = new Set([
      `${S.Open}:${A.Accept}`,
      `${S.Accepted}:${A.Start}`,
      `${S.Accepted}:${A.Resolve}`,
      `${S.InProgress}:${A.Resolve}`,
      `${S.Resolved}:${A.Reopen}`,
      `${S.Resolved}:${A.Close}`,
      `${S.Open}:${A.Cancel}`,
      `${S.Accepted}:${A.Cancel}`,
    ]);
    for (const from of Object.values(S)) {
      for (const action of Object.values(A)) {
        if (!legal.has(`${from}:${action}`)) expect(nextStatus(from, action)).toBeUndefined();
      }
    }
  });

  it('lets only the company side work a request, and both sides cancel or reopen it', () => {
    expect(mayTake(A.Accept, ['requester'])).toBe(false);
    expect(mayTake(A.Resolve, ['provider'])).toBe(true);
    expect(mayTake(A.Cancel, ['requester'])).toBe(true);
    expect(mayTake(A.Reopen, ['requester'])).toBe(true);
    expect(mayTake(A.Close, ['requester'])).toBe(false);
  });
});

describe('service request deadlines', () => {
  const openedAt = new Date('2025-06-02T08:00:00Z');
  const { acceptBy, resolveBy } = deadlinesFor(ServiceRequestCategory.Repair, openedAt);
  const at = (iso: string) => new Date(iso);

  it('gives a repair two hours to accept and two days to resolve', () => {
    expect(acceptBy.toISOString()).toBe('2025-06-02T10:00:00.000Z');
    expect(resolveBy.toISOString()).toBe('2025-06-04T08:00:00.000Z');
  });

  it('is not overdue at the deadline itself, and is one millisecond later', () => {
    const open = { status: S.Open, acceptBy, resolveBy };
    expect(isOverdue(open, acceptBy)).toBe(false);
    expect(isOverdue(open, new Date(acceptBy.getTime() + 1))).toBe(true);
  });

  it('stays overdue once accepted late, and is on time when accepted and resolved within the terms', () => {
    const late = { status: S.InProgress, acceptBy, resolveBy, acceptedAt: at('2025-06-02T10:00:01Z') };
    expect(isOverdue(late, at('2025-06-02T11:00:00Z'))).toBe(true);
    const onTime = { status: S.Resolved, acceptBy, resolveBy, acceptedAt: acceptBy, resolvedAt: resolveBy };
    expect(isOverdue(onTime, at('2025-07-01T00:00:00Z'))).toBe(false);
    expect(resolvedOnTime(onTime)).toBe(true);
    expect(resolvedOnTime({ resolveBy, resolvedAt: new Date(resolveBy.getTime() + 1) })).toBe(false);
    expect(resolvedOnTime({ resolveBy })).toBeUndefined();
  });

  it('never calls a cancelled request overdue', () => {
    expect(isOverdue({ status: S.Cancelled, acceptBy, resolveBy }, at('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it.each([
    ['property_maintenance', ServiceRequestCategory.Repair],
    ['sanitation', ServiceRequestCategory.Cleaning],
    ['safety_hazard', ServiceRequestCategory.Security],
    ['noise', ServiceRequestCategory.Other],
  ])("maps grid's %s cases to %s requests", (caseCategory, category) => {
    expect(categoryOfCase(caseCategory)).toBe(category);
  });
});
