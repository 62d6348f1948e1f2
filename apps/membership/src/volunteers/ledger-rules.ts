import { DomainException, ErrorCode } from '@cg/contracts';
import { multiplyHundredths } from '../quantities/hundredths';

export interface VolunteerTotal {
  personId: string;
  hoursHundredths: number;
}

export interface RankedVolunteer extends VolunteerTotal {
  rank: number;
  pointsHundredths: number;
}

/** Service points are hours times the community's rate, rounded to hundredths. */
export function pointsFor(hoursHundredths: number, pointsPerHourHundredths: number): number {
  return multiplyHundredths(hoursHundredths, pointsPerHourHundredths);
}

/**
 * Most hours first; equal hours share a rank (1, 1, 3) and are listed by person id so pages are stable.
 * Volunteers whose corrections bring them to zero or below are left out.
 */
export function rankVolunteers(
  totals: VolunteerTotal[],
  pointsPerHourHundredths: number,
  limit: number,
): RankedVolunteer[] {
  const sorted = totals
    .filter((t) => t.hoursHundredths > 0)
    .sort((a, b) => b.hoursHundredths - a.hoursHundredths || a.personId.localeCompare(b.personId));
  const ranked: RankedVolunteer[] = [];
  for (const [i, total] of sorted.slice(0, limit).entries()) {
    const previous = ranked[i - 1];
    const rank = previous && previous.hoursHundredths === total.hoursHundredths ? previous.rank : i + 1;
    ranked.push({
      ...total,
      rank,
      pointsHundredths: pointsFor(total.hoursHundredths, pointsPerHourHundredths),
    });
  }
  return ranked;
}

/** A correction may take an entry down to zero hours but not below: hours never served cannot be removed. */
export function assertCorrectionAllowed(
  entryAndCorrectionsHundredths: number,
  deltaHundredths: number,
): void {
  if (entryAndCorrectionsHundredths + deltaHundredths < 0) {
    throw new DomainException(
      ErrorCode.VALIDATION_FAILED,
      'The correction would take the entry below zero hours',
      [
        {
          field: 'hours',
          reason: `at most ${entryAndCorrectionsHundredths / 100} hours can be taken off this entry`,
        },
      ],
    );
  }
}
