import { ActivityView, AudienceDto, AudienceScope, RegistrationView } from '@cg/contracts';
import { Activity } from './activity.schema';
import { Registration } from './registration.schema';

export function toActivityView(activity: Activity): ActivityView {
  const audience: AudienceDto = { ...activity.audience, scope: activity.audience.scope as AudienceScope };
  return {
    id: String(activity._id),
    communityId: String(activity.communityId),
    title: activity.title,
    type: activity.type,
    ...(activity.description && { description: activity.description }),
    organiser: activity.organiser,
    place: activity.place,
    startsAt: activity.startsAt.toISOString(),
    endsAt: activity.endsAt.toISOString(),
    audience,
    capacity: activity.capacity,
    placesLeft: activity.seatsLeft,
    registrationOpensAt: activity.registrationOpensAt.toISOString(),
    registrationClosesAt: activity.registrationClosesAt.toISOString(),
    familyMembersAllowed: activity.familyMembersAllowed,
    ...(activity.coverUrl && { coverUrl: activity.coverUrl }),
    status: activity.status,
    ...(activity.publishedAt && { publishedAt: activity.publishedAt.toISOString() }),
  };
}

/** The check-in code is shown to the registrant only, never in staff lists. */
export function toRegistrationView(registration: Registration, withCode = false): RegistrationView {
  return {
    id: String(registration._id),
    activityId: String(registration.activityId),
    personId: String(registration.personId),
    personName: registration.personName,
    members: registration.members,
    headcount: registration.headcount,
    status: registration.status,
    ...(registration.queuePosition !== undefined && { queuePosition: registration.queuePosition }),
    ...(withCode && { checkInCode: registration.checkInCode }),
    ...(registration.checkedInAt && { checkedInAt: registration.checkedInAt.toISOString() }),
    registeredAt: registration.registeredAt.toISOString(),
  };
}
