import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
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
import { EventPublisher, OutboxRelay } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { KeyedLocks } from '@cg/persistence';
import { Activity } from './activity.schema';
import { ActivityStep, activityStep } from './activity-status';
import { ActivitiesRepository } from './activities.repository';
import { COMPLETION_PASS_MS, CompletionWindow } from './change-journal';
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
export class ActivitiesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Publishes the events of `activity_changes`; activities themselves carry no outbox. */
  private readonly relay: OutboxRelay;
  private readonly window = new CompletionWindow();
  private completionTimer?: NodeJS.Timeout;
  private completing?: Promise<number>;

  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly locks: KeyedLocks,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.relay = new OutboxRelay(activities.changeCollection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    void this.handOverOutboxes();
    void this.completeChanges();
    this.completionTimer = setInterval(() => void this.completeChanges(), COMPLETION_PASS_MS);
    this.completionTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.completionTimer) clearInterval(this.completionTimer);
    await this.completing;
    await this.relay.stop();
  }

  async create(caller: Principal, communityId: string, dto: CreateActivityDto): Promise<ActivityView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const errors = invalidTimes(dto);
    if (errors.length > 0) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The activity is not valid', errors);
    const activity: Activity = {
      _id: new Types.ObjectId(),
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
      version: 0,
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
    const docs = await this.activities.list(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), statuses, query.cursor, limit);
    return toPage(docs, limit, toActivityView);
  }

  async take(caller: Principal, communityId: string, activityId: string, step: ActivityStep): Promise<ActivityView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    const activity = await this.load(caller, communityId, activityId);
    const { from, to } = activityStep(step);
    const now = new Date();
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
            { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
          )
        : undefined;
    // The event goes in the change's own record (activity_changes), never on the activity, whose seats change
    // often: the relay's removal of a published event rewrites only that record.
    const changeId = await this.locks.run(`activity:${activity._id}`, async () => {
      const current = await this.activities.catchUp((await this.activities.findById(activity._id))!);
      if (!from.includes(current.status)) return undefined;
      return this.activities.step(current, { status: to, ...(step === 'publish' && { publishedAt: now }) }, event);
    });
    if (!changeId) {
      const current = await this.activities.findById(activity._id);
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${current?.status} activity cannot ${step}`);
    }
    if (event) await this.relay.kick(changeId);
    return toActivityView((await this.activities.findById(activity._id))!);
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

  /**
   * Finishes status changes whose writer stopped between claiming the change and writing the activity (see
   * ChangeJournal); returns how many activities it caught up. Each pass reads the changes written since the last
   * one; `window` checks the given one instead.
   */
  async completeChanges(window?: { since: Date; before: Date }): Promise<number> {
    while (this.completing) await this.completing.catch(() => undefined);
    this.completing = (async () => {
      const range = window ?? this.window.next();
      let caughtUp = 0;
      for (const id of await this.activities.journal.behind(range.since, range.before)) {
        await this.locks.run(`activity:${id}`, async () => {
          const activity = await this.activities.findById(id);
          if (activity) await this.activities.catchUp(activity);
        });
        caughtUp += 1;
      }
      if (!window) this.window.done(range.before);
      if (caughtUp > 0) this.logger.warn({ caughtUp }, 'finished activity changes a stopped writer left unapplied');
      return caughtUp;
    })()
      .catch((error) => {
        this.logger.warn({ err: error }, 'activity change completion failed; the next pass retries');
        return 0;
      })
      .finally(() => (this.completing = undefined));
    return this.completing;
  }

  /** Publishes, once, the events activities written before the change journal still hold in their own outbox. */
  async handOverOutboxes(): Promise<void> {
    try {
      for (const id of await this.activities.journal.handOver()) await this.relay.kick(id);
    } catch (error) {
      this.logger.warn({ err: error }, 'activity outbox hand-over failed; the next start retries');
    }
  }

  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }
}
