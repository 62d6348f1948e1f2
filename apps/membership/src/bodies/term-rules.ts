import { DomainException, ErrorCode, PositionKind, SINGLE_HOLDER_POSITIONS } from '@cg/contracts';

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** Today in China Standard Time, YYYY-MM-DD. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** A term from its first to its last day, both inclusive; open-ended without `to`. Dates are YYYY-MM-DD. */
export interface TermSpan {
  from: string;
  to?: string;
}

export function isValidDate(day: string): boolean {
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

export function holdsOn(term: TermSpan, day: string): boolean {
  return term.from <= day && (term.to === undefined || day <= term.to);
}

export function overlap(a: TermSpan, b: TermSpan): boolean {
  return a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');
}

export function assertSpan(term: TermSpan): void {
  for (const [field, day] of [['from', term.from], ['to', term.to]] as const) {
    if (day !== undefined && !isValidDate(day)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, `${field} is not a calendar date`, [
        { field, reason: 'must be a real calendar date' },
      ]);
    }
  }
  if (term.to !== undefined && term.to < term.from) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, 'A term cannot end before it starts', [
      { field: 'to', reason: 'must be on or after from' },
    ]);
  }
}

/**
 * A chair or secretary has one holder at a time; other positions (members, second secretaries, second echelon
 * cadres) have as many as the body appoints, but one person holds one position once at a time.
 */
export function assertAppointable(
  next: TermSpan & { personId: string; position: PositionKind },
  existing: (TermSpan & { personId: string; position: PositionKind })[],
): void {
  assertSpan(next);
  for (const term of existing) {
    if (term.position !== next.position || !overlap(term, next)) continue;
    if (term.personId === next.personId) {
      throw new DomainException(ErrorCode.DUPLICATE, 'This person already holds this position for part of that term');
    }
    if (SINGLE_HOLDER_POSITIONS.includes(next.position)) {
      throw new DomainException(
        ErrorCode.ALREADY_TAKEN,
        `The ${next.position} of this body is held by someone else for part of that term (${term.from} to ${term.to ?? 'open'})`,
      );
    }
  }
}

/** Ending a term sets its last day; it may be shortened, not lengthened past a fixed end, nor end before it began. */
export function assertEnd(term: TermSpan, to: string): void {
  assertSpan({ from: term.from, to });
  if (term.to !== undefined && to > term.to) {
    throw new DomainException(ErrorCode.INVALID_TRANSITION, `This term already ends on ${term.to}`);
  }
}
