import { BodyKind, PartyMemberStatus, Role } from '@cg/contracts';

/** What membership knows about a person that carries a role in the apps. */
export interface PersonFacts {
  partyMember?: { status: PartyMemberStatus };
  volunteer: boolean;
  partner: boolean;
  /** Bodies in which the person holds a position today. */
  bodiesToday: BodyKind[];
}

/**
 * The roles a token carries: those given to the account, plus those that follow from the person's records
 * (a party member record, a volunteer or partner profile, a seat on the owners' committee today).
 */
export function rolesFor(accountRoles: readonly Role[], facts: PersonFacts): Role[] {
  const roles = new Set<Role>(accountRoles);
  if (facts.partyMember) roles.add(Role.PartyMember);
  if (facts.volunteer) roles.add(Role.Volunteer);
  if (facts.partner) roles.add(Role.Partner);
  if (facts.bodiesToday.includes(BodyKind.OwnersCommittee)) roles.add(Role.OwnersCommitteeMember);
  roles.delete(Role.System);
  return [...roles];
}
