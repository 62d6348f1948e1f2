import {
  COMMITTEE_MAX_MEMBERS,
  COMMITTEE_MIN_MEMBERS,
  CommitteeRole,
  FieldError,
  TermStatus,
} from '@cg/contracts';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

export function dayBefore(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return new Date(date.getTime() - 86_400_000).toISOString().slice(0, 10);
}

const ROLE_ORDER: Record<CommitteeRole, number> = {
  [CommitteeRole.Chair]: 0,
  [CommitteeRole.ViceChair]: 1,
  [CommitteeRole.Member]: 2,
};

/** Chair first, then vice-chairs, then members, each group in the order given. */
export function byRole<M extends { role: CommitteeRole }>(members: readonly M[]): M[] {
  return members
    .map((m, i) => ({ m, i }))
    .sort((a, b) => ROLE_ORDER[a.m.role] - ROLE_ORDER[b.m.role] || a.i - b.i)
    .map(({ m }) => m);
}

/** A committee has 3 to 15 members, each once, and exactly one chair. */
export function compositionErrors(
  members: readonly { personId: string; role: CommitteeRole }[],
): FieldError[] {
  const errors: FieldError[] = [];
  if (members.length < COMMITTEE_MIN_MEMBERS || members.length > COMMITTEE_MAX_MEMBERS) {
    errors.push({
      field: 'members',
      reason: `a committee has ${COMMITTEE_MIN_MEMBERS} to ${COMMITTEE_MAX_MEMBERS} members, not ${members.length}`,
    });
  }
  const seen = new Set<string>();
  for (const member of members) {
    if (seen.has(member.personId))
      errors.push({ field: 'members', reason: `person ${member.personId} is listed twice` });
    seen.add(member.personId);
  }
  const chairs = members.filter((m) => m.role === CommitteeRole.Chair).length;
  if (chairs !== 1)
    errors.push({ field: 'members', reason: `a committee has exactly one chair, not ${chairs}` });
  return errors;
}

/** The dates of a new term against the latest one: real days, in order, starting after the latest term started. */
export function termDateErrors(startsOn: string, endsOn: string, latestStartsOn?: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isDay(startsOn)) errors.push({ field: 'startsOn', reason: 'startsOn must be a day, YYYY-MM-DD' });
  if (!isDay(endsOn)) errors.push({ field: 'endsOn', reason: 'endsOn must be a day, YYYY-MM-DD' });
  if (errors.length > 0) return errors;
  if (endsOn < startsOn) errors.push({ field: 'endsOn', reason: 'endsOn must not be before startsOn' });
  if (latestStartsOn && startsOn <= latestStartsOn) {
    errors.push({
      field: 'startsOn',
      reason: `a new term must start after the latest term started (${latestStartsOn})`,
    });
  }
  return errors;
}

export interface TermDates {
  startsOn: string;
  endsOn: string;
}

export interface TermEnd {
  endedOn: string;
  reason: string;
  by?: string;
}

/**
 * How a term ended before its planned last day, if it did: an early end recorded by staff, or the day before
 * the next term started, whichever came first.
 */
export function endOf(term: TermDates, successor?: TermDates, early?: TermEnd): TermEnd | undefined {
  const ends: TermEnd[] = [];
  if (early && early.endedOn <= term.endsOn) ends.push(early);
  if (successor && dayBefore(successor.startsOn) < term.endsOn) {
    ends.push({ endedOn: dayBefore(successor.startsOn), reason: 'The next term started' });
  }
  return ends.sort((a, b) => (a.endedOn < b.endedOn ? -1 : a.endedOn > b.endedOn ? 1 : 0))[0];
}

export function statusOn(term: TermDates, end: TermEnd | undefined, day: string): TermStatus {
  if (day < term.startsOn) return TermStatus.Upcoming;
  return day > (end?.endedOn ?? term.endsOn) ? TermStatus.Ended : TermStatus.Sitting;
}
