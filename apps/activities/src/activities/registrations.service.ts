import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  ActivityStatus,
  AttendanceView,
  CheckInDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventContract,
  EventEnvelope,
  ListRegistrationsQueryDto,
  Principal,
  RegisterForActivityDto,
  RegistrationData,
  RegistrationPage,
  RegistrationStatus,
  RegistrationView,
  Relation,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertRole } from '@cg/auth';
import { EventPublisher, OutboxRelay } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { KeyedLocks } from '@cg/persistence';
import { ResidencyService } from '../residents/residency.service';
import { Activity } from './activity.schema';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { COMPLETION_PASS_MS, CompletionWindow } from './change-journal';
import { choosePromotions } from './promotion';
import { Registration } from './registration.schema';
import { RegistrationsRepository } from './registrations.repository';
import { audienceRefusal, noShowRate, registrationWindow } from './registration-rules';
import { toRegistrationView } from './views';

/** Staff who scan codes at the door and read attendance. */
const DOOR_STAFF = [...COMMUNITY_MANAGERS, Role.GridWorker];
/** How long a registration may stay pending before the recovery sweep settles it. */
const SETTLE_GRACE_MS = 10_000;
const SWEEP_MS = 5_000;
/** How far down the waiting list one promotion round looks. */
const WAITING_WINDOW = 500;

function activityKey(activityId: Types.ObjectId): string {
  return `activity:${activityId}`;
}

/** 144 random bits: a code cannot be guessed, and the unique index keeps it to one registration. */
function newCheckInCode(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Registrations and their waiting list. Every change of a registration's status (and its check-in) is claimed as an
 * insert-only record `<registrationId>:<version>` in `registration_changes` that also holds the change's event, and
 * only then written to the registration (see ChangeJournal for why in this order). The registration carries no
 * outbox: it is written again by releases, promotions, check-ins and the recovery sweep, and the relay's removal of a
 * published event would rewrite the whole document under them.
 */
@Injectable()
export class RegistrationsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;
  private readonly window = new CompletionWindow();
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private completing?: Promise<number>;
  private lastCompletion = 0;

  constructor(
    private readonly registrations: RegistrationsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly activityService: ActivitiesService,
    private readonly residencies: ResidencyService,
    private readonly locks: KeyedLocks,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.relay = new OutboxRelay(registrations.changeCollection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    void this.handOverOutboxes();
    this.sweepTimer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error) => this.logger.warn({ err: error }, 'registration recovery sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, SWEEP_MS);
    this.sweepTimer.unref();
  }

  /** Changes claimed but not written first (every COMPLETION_PASS_MS), then registrations left half done. */
  private async sweep(): Promise<void> {
    if (Date.now() - this.lastCompletion >= COMPLETION_PASS_MS) {
      this.lastCompletion = Date.now();
      await this.completeChanges();
    }
    await this.recoverUnsettled(new Date(Date.now() - SETTLE_GRACE_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweeping;
    await this.completing;
    await this.relay.stop();
  }

  async register(caller: Principal, communityId: string, activityId: string, dto: RegisterForActivityDto): Promise<RegistrationView> {
    const activity = await this.activityService.load(caller, communityId, activityId);
    if (!caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents register for activities');
    if (activity.status !== ActivityStatus.Published) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${activity.status} activity takes no registrations`);
    }
    const window = registrationWindow(new Date(), activity.registrationOpensAt, activity.registrationClosesAt);
    if (window !== 'open') {
      throw new DomainException(
        ErrorCode.OUTSIDE_WINDOW,
        window === 'not_open'
          ? `Registration opens at ${activity.registrationOpensAt.toISOString()}`
          : `Registration closed at ${activity.registrationClosesAt.toISOString()}`,
      );
    }
    const members = dto.members ?? [];
    if (members.length > 0 && !activity.familyMembersAllowed) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'This activity takes no household members');
    }
    const headcount = 1 + members.length;
    if (headcount > activity.capacity) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, `The activity holds ${activity.capacity} people in all`);
    }
    const residency = await this.residencies.find(communityId, caller.personId);
    const refusal = audienceRefusal(
      activity.audience,
      {
        buildingId: residency ? String(residency.buildingId) : undefined,
        gridId: residency ? String(residency.gridId) : undefined,
        isOwner: caller.roles.includes(Role.Owner) || residency?.relation === Relation.Owner,
        isPartyMember: caller.roles.includes(Role.PartyMember),
        participants: [{ name: caller.name, birthDate: dto.birthDate }, ...members],
      },
      activity.startsAt,
    );
    if (refusal) throw new DomainException(ErrorCode.NOT_ELIGIBLE, refusal);

    const personId = objectId(caller.personId, ErrorCode.FORBIDDEN);
    const registration: Registration = {
      _id: new Types.ObjectId(),
      communityId: activity.communityId,
      activityId: activity._id,
      personId,
      personName: residency?.name ?? caller.name,
      members: members.map((m) => ({ name: m.name, relation: m.relation, ...(m.birthDate && { birthDate: m.birthDate }) })),
      headcount,
      status: RegistrationStatus.Pending,
      holder: String(personId),
      checkInCode: newCheckInCode(),
      registeredAt: new Date(),
      version: 0,
    };
    let stored = await this.registrations.insert(registration);
    if (!stored) {
      const live = await this.registrations.findOne({ communityId: activity.communityId, activityId: activity._id, holder: String(personId) });
      // A pending registration is one a stopped attempt left half done: finish it instead of refusing.
      if (live?.status !== RegistrationStatus.Pending) {
        throw new DomainException(ErrorCode.DUPLICATE, 'You are already registered for this activity');
      }
      stored = live;
    }
    const pending = stored;
    const settled = await this.locks.run(activityKey(activity._id), () => this.settle(pending, caller.sub));
    return toRegistrationView(settled, true);
  }

  /** Gives a pending registration its places, or a place on the waiting list. Safe to repeat; runs under the activity's lock. */
  private async settle(found: Registration, actor: string): Promise<Registration> {
    // A stopped attempt may have claimed the settlement without writing it: finish that one instead.
    const registration = await this.registrations.catchUp(found);
    const { _id: id, activityId, headcount } = registration;
    if (registration.status !== RegistrationStatus.Pending) {
      // Settled by the stopped attempt: it may not have got as far as looking at the waiting list.
      if (registration.status === RegistrationStatus.Waitlisted) await this.promoteWaiting(registration.communityId, activityId, actor);
      return (await this.registrations.findById(id))!;
    }
    if (await this.secureSeats(activityId, id, headcount)) {
      const confirmed = await this.transition(registration, { status: RegistrationStatus.Confirmed }, this.event(ActivitiesEvents.registrationConfirmed, registration, actor));
      if (!confirmed) await this.releaseIfNotHeld(registration);
    } else {
      const queuePosition = await this.activities.nextQueuePosition(activityId);
      const waiting = { ...registration, queuePosition };
      const queued = await this.transition(
        registration,
        { status: RegistrationStatus.Waitlisted, queuePosition },
        this.event(ActivitiesEvents.registrationWaitlisted, waiting, actor),
      );
      // Places may have freed while this one was pending and so invisible to the promoter.
      if (queued) await this.promoteWaiting(registration.communityId, activityId, actor);
    }
    return (await this.registrations.findById(id))!;
  }

  /** Claims and writes one change with its event, then hands the event to the relay; false when the registration had moved on. */
  private async transition(current: Registration, set: Partial<Registration>, event: EventEnvelope): Promise<boolean> {
    const changeId = await this.registrations.transition(current, set, event);
    if (changeId) void this.relay.kick(changeId);
    return changeId !== undefined;
  }

  /** Takes the places, or finds them already taken for this registration by an attempt that stopped halfway. */
  private async secureSeats(activityId: Types.ObjectId, registrationId: Types.ObjectId, headcount: number): Promise<boolean> {
    return (
      (await this.activities.takeSeats(activityId, registrationId, headcount)) ||
      (await this.activities.holdsSeats(activityId, registrationId))
    );
  }

  async cancel(caller: Principal, communityId: string, activityId: string, registrationId: string): Promise<RegistrationView> {
    const activity = await this.activityService.load(caller, communityId, activityId);
    return this.locks.run(activityKey(activity._id), () => this.cancelLocked(caller, activity, registrationId));
  }

  private async cancelLocked(caller: Principal, activity: Activity, registrationId: string): Promise<RegistrationView> {
    const registration = await this.find(activity, registrationId);
    const own = caller.personId !== undefined && String(registration.personId) === caller.personId;
    if (!own && !hasAnyRole(caller, [...COMMUNITY_MANAGERS, Role.System])) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'You may only cancel your own registration');
    }
    const from = registration.status;
    if ((from !== RegistrationStatus.Confirmed && from !== RegistrationStatus.Waitlisted) || registration.checkedInAt) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${registration.checkedInAt ? 'checked-in' : from} registration cannot be cancelled`);
    }
    const wasConfirmed = from === RegistrationStatus.Confirmed;
    const cancelled = await this.transition(
      registration,
      { status: RegistrationStatus.Cancelled, holder: `cancelled:${registration._id}`, seatReleased: !wasConfirmed },
      this.event(ActivitiesEvents.registrationCancelled, registration, caller.sub),
    );
    if (!cancelled) throw new DomainException(ErrorCode.CONFLICT, 'The registration changed meanwhile; read it again');
    if (wasConfirmed) await this.releaseAndPromote(registration, caller.sub);
    return toRegistrationView((await this.registrations.findById(registration._id))!, own);
  }

  private async releaseAndPromote(registration: Registration, actor: string): Promise<void> {
    await this.activities.releaseSeats(registration.activityId, registration._id, registration.headcount);
    await this.registrations.markSeatReleased(registration._id);
    await this.promoteWaiting(registration.communityId, registration.activityId, actor);
  }

  /** Moves waiting registrations up while places are free; concurrent promoters never promote one twice. */
  private async promoteWaiting(communityId: Types.ObjectId, activityId: Types.ObjectId, actor: string): Promise<void> {
    for (;;) {
      const activity = await this.activities.findById(activityId);
      if (!activity || activity.status !== ActivityStatus.Published || activity.seatsLeft <= 0) return;
      const waiting = await this.registrations.waiting(communityId, activityId, WAITING_WINDOW);
      const chosen = choosePromotions(activity.seatsLeft, waiting as (Registration & { queuePosition: number })[]);
      const promoted: Types.ObjectId[] = [];
      for (const registration of chosen) {
        if (!(await this.secureSeats(activityId, registration._id, registration.headcount))) break;
        const moved = await this.transition(
          registration,
          { status: RegistrationStatus.Confirmed },
          this.event(ActivitiesEvents.registrationPromoted, registration, actor),
        );
        if (moved) promoted.push(registration._id);
        else await this.releaseIfNotHeld(registration);
      }
      if (promoted.length === 0) return;
    }
  }

  /** Places taken for a registration that was cancelled meanwhile go back at once. */
  private async releaseIfNotHeld(registration: Registration): Promise<void> {
    const current = await this.registrations.findById(registration._id);
    if (current?.status !== RegistrationStatus.Confirmed) {
      await this.activities.releaseSeats(registration.activityId, registration._id, registration.headcount);
    }
  }

  /** Finishes what a stopped process left: pending registrations, and places of cancelled ones not yet given back. */
  async recoverUnsettled(before: Date): Promise<void> {
    for (const found of await this.registrations.unsettled(before, 100)) {
      await this.locks.run(activityKey(found.activityId), () => this.finishLeftBehind(found._id));
    }
  }

  /**
   * Finishes what a stopped writer left of one registration: a change claimed but not written, a settlement not
   * made, places of a cancellation not given back, a promotion round not run. Runs under the activity's lock.
   */
  private async finishLeftBehind(id: Types.ObjectId): Promise<void> {
    const stored = await this.registrations.findById(id);
    if (!stored) return;
    // Settling catches up first, and looks at the waiting list when the registration ends up on it.
    if (stored.status === RegistrationStatus.Pending) {
      await this.settle(stored, 'system');
      return;
    }
    const registration = await this.registrations.catchUp(stored);
    if (registration.status === RegistrationStatus.Cancelled && registration.seatReleased === false) {
      await this.releaseAndPromote(registration, 'system');
    } else if (registration.status === RegistrationStatus.Waitlisted && registration.version !== stored.version) {
      await this.promoteWaiting(registration.communityId, registration.activityId, 'system');
    }
  }

  async mine(caller: Principal, communityId: string, activityId: string): Promise<RegistrationView> {
    const activity = await this.activityService.load(caller, communityId, activityId);
    const live = caller.personId
      ? await this.registrations.findOne({ communityId: activity.communityId, activityId: activity._id, holder: caller.personId })
      : null;
    if (!live) throw new DomainException(ErrorCode.NOT_FOUND, 'You hold no registration for this activity');
    return toRegistrationView(live, true);
  }

  async list(caller: Principal, communityId: string, activityId: string, query: ListRegistrationsQueryDto): Promise<RegistrationPage> {
    assertRole(caller, DOOR_STAFF);
    const activity = await this.activityService.load(caller, communityId, activityId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const prefix = query.name?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const docs = await this.registrations.list(
      {
        communityId: activity.communityId,
        activityId: activity._id,
        ...(query.status && { status: query.status }),
        ...(prefix && { personName: { $regex: `^${prefix}` } }),
      },
      query.cursor,
      limit,
    );
    return toPage(docs, limit, (doc) => toRegistrationView(doc));
  }

  async checkIn(caller: Principal, communityId: string, activityId: string, dto: CheckInDto): Promise<RegistrationView> {
    assertRole(caller, DOOR_STAFF);
    const activity = await this.activityService.load(caller, communityId, activityId);
    if (Boolean(dto.code) === Boolean(dto.registrationId)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Give either the scanned code or the registration id', [
        { field: 'code', reason: 'exactly one of code and registrationId is required' },
      ]);
    }
    return this.locks.run(activityKey(activity._id), () => this.checkInLocked(caller, activity, dto));
  }

  private async checkInLocked(caller: Principal, activity: Activity, dto: CheckInDto): Promise<RegistrationView> {
    const found = await this.registrations.findOne({
      communityId: activity.communityId,
      activityId: activity._id,
      ...(dto.code ? { checkInCode: dto.code } : { _id: objectId(dto.registrationId!) }),
    });
    const registration = found && (await this.registrations.catchUp(found));
    if (!registration) throw new DomainException(ErrorCode.NOT_FOUND, 'No registration of this activity has this code');
    if (registration.status !== RegistrationStatus.Confirmed) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, `A ${registration.status} registration holds no place`);
    }
    if (registration.checkedInAt) {
      throw new DomainException(ErrorCode.DUPLICATE, `Already checked in at ${registration.checkedInAt.toISOString()}`);
    }
    const at = new Date();
    const event = newEvent(
      ActivitiesEvents.checkedIn,
      {
        registrationId: String(registration._id),
        activityId: String(activity._id),
        personId: String(registration.personId),
        headcount: registration.headcount,
        checkedInAt: at.toISOString(),
      },
      { communityId: String(activity.communityId), actor: caller.sub, correlationId: currentCorrelationId() },
    );
    const done = await this.transition(registration, { checkedInAt: at }, event);
    if (!done) throw new DomainException(ErrorCode.DUPLICATE, 'This registration was checked in a moment ago');
    return toRegistrationView((await this.registrations.findById(registration._id))!);
  }

  async attendance(caller: Principal, communityId: string, activityId: string): Promise<AttendanceView> {
    assertRole(caller, DOOR_STAFF);
    const activity = await this.activityService.load(caller, communityId, activityId);
    const confirmed = await this.registrations.confirmedAttendance(activity.communityId, activity._id);
    const present = confirmed.filter((r) => r.checkedInAt);
    const people = (rows: typeof confirmed) => rows.reduce((sum, r) => sum + r.headcount, 0);
    return {
      activityId,
      confirmedRegistrations: confirmed.length,
      confirmedPeople: people(confirmed),
      checkedInRegistrations: present.length,
      checkedInPeople: people(present),
      waitlistedRegistrations: await this.registrations.countWaiting(activity.communityId, activity._id),
      noShowRate: noShowRate(people(confirmed), people(present)),
    };
  }

  private async find(activity: Activity, registrationId: string): Promise<Registration> {
    const registration = await this.registrations.findOne({
      communityId: activity.communityId,
      activityId: activity._id,
      _id: objectId(registrationId),
    });
    if (!registration) throw new DomainException(ErrorCode.NOT_FOUND, `No registration ${registrationId} for this activity`);
    // Callers hold the activity's lock: a change a stopped writer claimed is finished before this one is decided.
    return this.registrations.catchUp(registration);
  }

  private event(contract: EventContract<RegistrationData>, registration: Registration, actor: string) {
    return newEvent(
      contract,
      {
        registrationId: String(registration._id),
        activityId: String(registration.activityId),
        personId: String(registration.personId),
        headcount: registration.headcount,
        ...(registration.queuePosition !== undefined && { queuePosition: registration.queuePosition }),
      },
      { communityId: String(registration.communityId), actor, correlationId: currentCorrelationId() },
    );
  }

  /**
   * Finishes changes whose writer stopped between claiming the change and writing the registration (see
   * ChangeJournal); returns how many registrations it caught up. Each pass reads the changes written since the last
   * one; `window` checks the given one instead.
   */
  async completeChanges(window?: { since: Date; before: Date }): Promise<number> {
    while (this.completing) await this.completing;
    this.completing = (async () => {
      const range = window ?? this.window.next();
      let caughtUp = 0;
      for (const id of await this.registrations.journal.behind(range.since, range.before)) {
        const found = await this.registrations.findById(id);
        if (!found) continue;
        await this.locks.run(activityKey(found.activityId), () => this.finishLeftBehind(id));
        caughtUp += 1;
      }
      if (!window) this.window.done(range.before);
      if (caughtUp > 0) this.logger.warn({ caughtUp }, 'finished registration changes a stopped writer left unapplied');
      return caughtUp;
    })()
      .catch((error) => {
        this.logger.warn({ err: error }, 'registration change completion failed; the next pass retries');
        return 0;
      })
      .finally(() => (this.completing = undefined));
    return this.completing;
  }

  /** Publishes, once, the events registrations written before the change journal still hold in their own outbox. */
  async handOverOutboxes(): Promise<void> {
    try {
      for (const id of await this.registrations.journal.handOver()) await this.relay.kick(id);
    } catch (error) {
      this.logger.warn({ err: error }, 'registration outbox hand-over failed; the next start retries');
    }
  }

  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }
}
