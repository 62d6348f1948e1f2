import { DeliberationBody, Role } from '@cg/contracts';

/** A topic is ripe for a committee once its supports reach the threshold (the threshold itself counts). */
export function reachesThreshold(supports: number, threshold: number): boolean {
  return supports >= threshold;
}

/** Roles that may act for each body: community staff for the residents' committee, members for the owners'. */
export const BODY_MEMBERS: Record<DeliberationBody, readonly Role[]> = {
  [DeliberationBody.ResidentsCommittee]: [Role.CommunityStaff, Role.DistrictAdmin],
  [DeliberationBody.OwnersCommittee]: [Role.OwnersCommitteeMember],
};

export type ActingBody = { body: DeliberationBody } | { refused: 'not_a_member' | 'ambiguous' };

/** The body the caller acts for: the one asked for if they sit on it, else the only one they sit on. */
export function actingBody(roles: readonly Role[], requested?: DeliberationBody): ActingBody {
  const sitsOn = (body: DeliberationBody) => BODY_MEMBERS[body].some((role) => roles.includes(role));
  if (requested) return sitsOn(requested) ? { body: requested } : { refused: 'not_a_member' };
  const bodies = Object.values(DeliberationBody).filter(sitsOn);
  if (bodies.length === 0) return { refused: 'not_a_member' };
  return bodies.length === 1 ? { body: bodies[0] } : { refused: 'ambiguous' };
}
