import { Injectable } from '@nestjs/common';
import {
  ActivityPage,
  ActivityStatus,
  ActivityView,
  ActivitiesEvents,
  AudienceScope,
  CreateActivityDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  FieldError,
  ListActivitiesQueryDto,
  Principal,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Activity } from './activity.schema';
import { ActivityStep, activityStep } from './activity-status';
import { ActivitiesRepository } from './activities.repository';
import { toActivityView } from './views';

function invalidTimes(dto: CreateActivityDto): FieldError[] {
  const errors: FieldError[] = [];
  const [starts, ends] = [new Date(dto.startsAt), new Date(dto.endsAt)];
  const [opens, closes] = [new Date(dto.registrationOpensAt), new Date(dto.registrationClosesAt)];
  if (ends <= starts) errors.push({ field: 'endsAt', reason: 'endsAt must be after startsAt' });
  if (closes <= opens) errors.push({ field: 'registrationClosesAt', reason: 'registration must close after it opens' });
  if (closes > ends) errors.push({ field: 'registrationClosesAt', reason: 'registration must close before the activity ends' });
  if (dto.audience.scope === AudienceScope.Buildings && !dto.audience.buildingIds?.length) {
    errors.push({ field: 'audience.buildingIds', reason: 'list the buildings of a building audience' });
  }
  if (dto.audience.scope === AudienceScope.Grids && !dto.audience.gridIds?.length) {
    errors.push({ field: 'audience.gridIds', reason: 'list the grids of a grid audience' });
  }
  const { minAge, maxAge } = dto.audience;
  if (minAge !== undefined && maxAge !== undefined && minAge > maxAge) {
    errors.push({ field: 'audience.maxAge', reason: 'maxAge must not be below minAge' });
  }
  return errors;
}

@Injectable()
export class ActivitiesService {
  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly outbox: Outbox,
  ) {}

  async create(caller: Principal, communityId: string, dto: CreateActivityDto): Promise<ActivityView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const errors = invalidTimes(dto);
    if (errors.length > 0) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The activity is not valid', errors);
    const activity: Activity = {
      _id: newId('activity'),
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      title: dto.title,
      type: dto.type,
      ...(dto.description && { description: dto.description }),
      organiser: { kind: dto.organiser.kind, name: dto.organiser.name },
      place: dto.place,
      startsAt: new Date(dto.startsAt),
      endsAt: new Date(dto.endsAt),
      audience: {
        scope: dto.audience.scope,
        ...(dto.audience.scope === AudienceScope.Buildings && { buildingIds: dto.audience.buildingIds }),
        ...(dto.audience.scope === AudienceScope.Grids && { gridIds: dto.audience.gridIds }),
        ...(dto.audience.ownersOnly && { ownersOnly: true }),
        ...(dto.audience.partyMembersOnly && { partyMembersOnly: true }),
        ...(dto.audience.minAge !== undefined && { minAge: dto.audience.minAge }),
        ...(dto.audience.maxAge !== undefined && { maxAge: dto.audience.maxAge }),
      },
      capacity: dto.capacity,
      seatsLeft: dto.capacity,
      seatHolders: [],
      registrationOpensAt: new Date(dto.registrationOpensAt),
      registrationClosesAt: new Date(dto.registrationClosesAt),
      familyMembersAllowed: dto.familyMembersAllowed,
      ...(dto.coverUrl && { coverUrl: dto.coverUrl }),
      status: ActivityStatus.Draft,
      createdBy: caller.sub,
      waitingSeq: 0,
      outbox: [],
    };
    const stored = await this.activities.insert(activity);
    return toActivityView(stored);
  }

  async get(caller: Principal, communityId: string, activityId: string): Promise<ActivityView> {
    const activity = await this.load(caller, communityId, activityId);
    if (activity.status === ActivityStatus.Draft && !hasAnyRole(caller, COMMUNITY_MANAGERS)) {
      throw new DomainException(ErrorCode.NOT_FOUND, `No activity ${activityId} in this community`);
    }
    return toActivityView(activity);
  }

  async list(caller: Principal, communityId: string, query: ListActivitiesQueryDto): Promise<ActivityPage> {
    assertCommunityAccess(caller, communityId);
    const manager = hasAnyRole(caller, COMMUNITY_MANAGERS);
    const statuses = query.status
      ? [query.status]
      : manager
        ? Object.values(ActivityStatus)
        : [ActivityStatus.Published, ActivityStatus.Finished, ActivityStatus.Cancelled];
    if (statuses.includes(ActivityStatus.Draft) && !manager) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only community staff see draft activities');
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    return this.activities.list(community, statuses, { cursor: query.cursor, limit }, toActivityView);
  }

  async take(caller: Principal, communityId: string, activityId: string, step: ActivityStep): Promise<ActivityView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    const activity = await this.load(caller, communityId, activityId);
    const { from, to } = activityStep(step);
    const now = new Date();
    const meta = { communityId, actor: caller.sub, correlationId: currentCorrelationId() };
    const event =
      step === 'publish'
        ? newEvent(
            ActivitiesEvents.activityPublished,
            {
              activityId,
              title: activity.title,
              type: activity.type,
              startsAt: activity.startsAt.toISOString(),
              endsAt: activity.endsAt.toISOString(),
              capacity: activity.capacity,
            },
            meta,
          )
        : step === 'cancel'
          ? newEvent(
              ActivitiesEvents.activityCancelled,
              { activityId, title: activity.title, startsAt: activity.startsAt.toISOString(), cancelledAt: now.toISOString() },
              meta,
            )
          : undefined;
    const set = { status: to, ...(step === 'publish' && { publishedAt: now }) };
    const before = await this.activities.changeStatus(activity._id, from, set, event);
    if (!before) {
      const current = await this.activities.findById(activity._id);
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${current?.status} activity cannot ${step}`);
    }
    if (event) await this.outbox.deliver(Activity.name, activity._id);
    return toActivityView({ ...before, ...set });
  }

  /** The activity in the caller's community, or NOT_FOUND. */
  async load(caller: Principal, communityId: string, activityId: string): Promise<Activity> {
    assertCommunityAccess(caller, communityId);
    const activity = await this.activities.findOne({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(activityId, ErrorCode.NOT_FOUND),
    });
    if (!activity) throw new DomainException(ErrorCode.NOT_FOUND, `No activity ${activityId} in this community`);
    return activity;
  }
}
