import { CaseUrgency, EscalationLevel } from '@cg/contracts';
import { SlaDuration } from './sla-clock';

export interface SlaTerms {
  /** The grid signs for the case within this. */
  signFor: SlaDuration;
  /** The case is resolved within this. */
  resolve: SlaDuration;
}

/** Urgent and emergency cases run on fixed hours; a normal one on its category's working days. */
export function slaTerms(normalWorkingDays: number, urgency: CaseUrgency): SlaTerms {
  switch (urgency) {
    case CaseUrgency.Emergency:
      return { signFor: { workingHours: 1 }, resolve: { sameDay: true } };
    case CaseUrgency.Urgent:
      return { signFor: { workingHours: 2 }, resolve: { workingHours: 8 } };
    case CaseUrgency.Normal:
      return { signFor: { workingHours: 4 }, resolve: { workingDays: normalWorkingDays } };
  }
}

/** A late case goes one level up at its deadline, and one more level each period after that. */
export const ESCALATION_PERIOD_MS = 24 * 3600 * 1000;
export const ESCALATION_LADDER: readonly EscalationLevel[] = [
  EscalationLevel.Grid,
  EscalationLevel.Area,
  EscalationLevel.Community,
  EscalationLevel.Street,
];

/** When the case at `level` (index in the ladder) goes up next, or undefined at the top. */
export function nextEscalationAt(dueAt: Date, level: number): Date | undefined {
  if (level >= ESCALATION_LADDER.length - 1) return undefined;
  return new Date(dueAt.getTime() + level * ESCALATION_PERIOD_MS);
}
