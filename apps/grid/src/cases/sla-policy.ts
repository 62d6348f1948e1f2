import { CaseCategory, CaseUrgency, EscalationLevel } from '@cg/contracts';
import { SlaDuration, WorkCalendar } from './sla-clock';

export interface SlaTerms {
  /** The grid signs for the case within this. */
  signFor: SlaDuration;
  /** The case is resolved within this. */
  resolve: SlaDuration;
}

const NORMAL_RESOLVE_DAYS: Record<CaseCategory, number> = {
  [CaseCategory.GroupRental]: 5,
  [CaseCategory.HomeAsBusiness]: 10,
  [CaseCategory.IllegalConstruction]: 10,
  [CaseCategory.Noise]: 2,
  [CaseCategory.Sanitation]: 2,
  [CaseCategory.PropertyMaintenance]: 3,
  [CaseCategory.SafetyHazard]: 1,
  [CaseCategory.NeighbourDispute]: 5,
  [CaseCategory.Other]: 5,
};

export function slaTerms(category: CaseCategory, urgency: CaseUrgency): SlaTerms {
  switch (urgency) {
    case CaseUrgency.Emergency:
      return { signFor: { workingHours: 1 }, resolve: { sameDay: true } };
    case CaseUrgency.Urgent:
      return { signFor: { workingHours: 2 }, resolve: { workingHours: 8 } };
    case CaseUrgency.Normal:
      return { signFor: { workingHours: 4 }, resolve: { workingDays: NORMAL_RESOLVE_DAYS[category] } };
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

const WORKDAY = { utcOffsetMinutes: 8 * 60, dayStartMinute: 9 * 60, dayEndMinute: 17 * 60 } as const;

/** State Council holiday arrangements (法定节假日与调休); districts may add their own days. */
const NATIONAL: WorkCalendar = {
  ...WORKDAY,
  holidays: [
    '2025-01-01',
    '2025-01-28',
    '2025-01-29',
    '2025-01-30',
    '2025-01-31',
    '2025-02-01',
    '2025-02-02',
    '2025-02-03',
    '2025-02-04',
    '2025-04-04',
    '2025-04-05',
    '2025-04-06',
    '2025-05-01',
    '2025-05-02',
    '2025-05-03',
    '2025-05-04',
    '2025-05-05',
    '2025-05-31',
    '2025-06-01',
    '2025-06-02',
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-04',
    '2025-10-05',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  makeUpWorkdays: [
    '2025-01-26',
    '2025-02-08',
    '2025-04-27',
    '2025-09-28',
    '2025-10-11',
    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',
  ],
};

/** Calendars by district name; a district not listed works to the national calendar. */
export const DISTRICT_CALENDARS: Record<string, WorkCalendar> = {};

export function calendarFor(district: string | undefined): WorkCalendar {
  return (district && DISTRICT_CALENDARS[district]) || NATIONAL;
}
