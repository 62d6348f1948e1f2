/** The shortest public notice of the candidates the law allows (公示不少于7日). */
export const LEGAL_MINIMUM_NOTICE_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * The notice period a deployment requires: the configured days, never fewer than the legal minimum. A setting below
 * the minimum, or not a whole number, is refused at boot.
 */
export function noticeDaysOf(configured: string | undefined): number {
  if (configured === undefined || configured === '') return LEGAL_MINIMUM_NOTICE_DAYS;
  const days = Number(configured);
  if (!Number.isInteger(days) || days < LEGAL_MINIMUM_NOTICE_DAYS) {
    throw new Error(`ELECTION_NOTICE_DAYS must be a whole number of days, at least ${LEGAL_MINIMUM_NOTICE_DAYS}; got "${configured}"`);
  }
  return days;
}

/** The earliest end of a notice published at `publishedAt`, and whether `endsAt` is too early for it. */
export function noticeShortfall(publishedAt: Date, endsAt: Date, days: number): { earliestEnd: Date; tooShort: boolean } {
  const earliestEnd = new Date(publishedAt.getTime() + days * DAY_MS);
  return { earliestEnd, tooShort: endsAt.getTime() < earliestEnd.getTime() };
}
