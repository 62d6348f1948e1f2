import type { PartnerDomain } from '@cg/contracts';

/** A partner is asked only in a domain they declared. */
export function offersDomain(partner: { domains: readonly PartnerDomain[] }, domain: PartnerDomain): boolean {
  return partner.domains.includes(domain);
}

/**
 * The places a question may try, in order, for a partner with this capacity: `<personId>:<n>` with n below the
 * capacity, not held by a waiting question, and no more of them than the capacity leaves room for (held places at
 * or above a capacity lowered since still count). A question takes a place by a unique insert, so of two asked at
 * once for the last place exactly one gets it.
 */
export function freePlaces(partnerPersonId: string, capacity: number, held: ReadonlySet<string>): string[] {
  const room = capacity - held.size;
  if (room <= 0) return [];
  return Array.from({ length: capacity }, (_, n) => `${partnerPersonId}:${n}`)
    .filter((slot) => !held.has(slot))
    .slice(0, room);
}
