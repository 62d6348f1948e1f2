import { ActivityType, AudienceScope, CreateActivityDto, OrganiserKind } from '@cg/contracts';

const HOUR = 3600_000;

/** A community-wide activity two days ahead, open for registration now: what the integration tests create. */
export function activityDto(title: string, capacity: number): CreateActivityDto {
  const now = Date.now();
  return {
    title,
    type: ActivityType.Culture,
    organiser: { kind: OrganiserKind.Body, name: "Residents' committee" },
    place: 'Community hall',
    startsAt: new Date(now + 48 * HOUR).toISOString(),
    endsAt: new Date(now + 50 * HOUR).toISOString(),
    audience: { scope: AudienceScope.Community },
    capacity,
    registrationOpensAt: new Date(now - HOUR).toISOString(),
    registrationClosesAt: new Date(now + 24 * HOUR).toISOString(),
    familyMembersAllowed: true,
  } as CreateActivityDto;
}

/** Times of an activity starting in ten minutes, so the door may check people in now. */
export function startingSoon(): Pick<CreateActivityDto, 'startsAt' | 'endsAt' | 'registrationClosesAt'> {
  const now = Date.now();
  return {
    startsAt: new Date(now + 10 * 60_000).toISOString(),
    endsAt: new Date(now + 2 * HOUR).toISOString(),
    registrationClosesAt: new Date(now + HOUR).toISOString(),
  };
}
