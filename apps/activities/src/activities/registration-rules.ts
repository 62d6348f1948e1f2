/** The audience of an activity as stored. */
export interface AudienceRule {
  scope: 'community' | 'buildings' | 'grids';
  buildingIds?: string[];
  gridIds?: string[];
  ownersOnly?: boolean;
  partyMembersOnly?: boolean;
  minAge?: number;
  maxAge?: number;
}

export interface Participant {
  name: string;
  birthDate?: string;
}

/** What is known about the resident asking to register. */
export interface Applicant {
  buildingId?: string;
  gridId?: string;
  isOwner: boolean;
  isPartyMember: boolean;
  /** The resident first, then listed household members. */
  participants: Participant[];
}

export type WindowState = 'not_open' | 'open' | 'closed';

export function registrationWindow(now: Date, opensAt: Date, closesAt: Date): WindowState {
  if (now < opensAt) return 'not_open';
  if (now >= closesAt) return 'closed';
  return 'open';
}

/** Community local time is China Standard Time (UTC+8, no daylight saving). */
const LOCAL_OFFSET_MS = 8 * 3600 * 1000;

/** Whole years of age on the local calendar day of `at`; a birthday on that day counts. */
export function ageOn(birthDate: string, at: Date): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const day = new Date(at.getTime() + LOCAL_OFFSET_MS);
  const y = day.getUTCFullYear();
  const m = day.getUTCMonth() + 1;
  const d = day.getUTCDate();
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Why the applicant is outside the audience, or undefined when they are in it. */
export function audienceRefusal(rule: AudienceRule, applicant: Applicant, startsAt: Date): string | undefined {
  if (rule.scope === 'buildings') {
    if (!applicant.buildingId) return 'Your residence is not known yet, so the building audience cannot be checked';
    if (!(rule.buildingIds ?? []).includes(applicant.buildingId)) return 'This activity is for residents of other buildings';
  }
  if (rule.scope === 'grids') {
    if (!applicant.gridId) return 'Your residence is not known yet, so the grid audience cannot be checked';
    if (!(rule.gridIds ?? []).includes(applicant.gridId)) return 'This activity is for residents of other grids';
  }
  if (rule.ownersOnly && !applicant.isOwner) return 'This activity is for owners only';
  if (rule.partyMembersOnly && !applicant.isPartyMember) return 'This activity is for party members only';
  if (rule.minAge !== undefined || rule.maxAge !== undefined) {
    for (const person of applicant.participants) {
      if (!person.birthDate) return `The age range applies: give a birth date for ${person.name}`;
      const age = ageOn(person.birthDate, startsAt);
      if (rule.minAge !== undefined && age < rule.minAge) return `${person.name} is younger than ${rule.minAge}`;
      if (rule.maxAge !== undefined && age > rule.maxAge) return `${person.name} is older than ${rule.maxAge}`;
    }
  }
  return undefined;
}

/** Share of confirmed people who did not check in, as a decimal string with two decimals (rounded half up). */
export function noShowRate(confirmedPeople: number, checkedInPeople: number): string {
  if (confirmedPeople <= 0) return '0.00';
  const absent = Math.max(confirmedPeople - checkedInPeople, 0);
  const hundredths = Math.floor((absent * 200 + confirmedPeople) / (2 * confirmedPeople));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
