import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  ActivityStatus,
  ActivityView,
  AttendanceView,
  CheckInDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventContract,
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
import { DurableConsumers, Outbox } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { ACTIVITIES_OPTIONS, ActivitiesOptions } from '../options';
import { ResidencyService } from '../residents/residency.service';
import { checkInWindow } from './check-in-window';
import { Activity } from './activity.schema';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { choosePromotions } from './promotion';
import { Registration } from './registration.schema';
import { RegistrationsRepository } from './registrations.repository';
import { audienceRefusal, noShowRate, registrationWindow } from './registration-rules';
import { toRegistrationView } from './views';

/** Staff who scan codes at the door and read attendance. */
const DOOR_STAFF = [...COMMUNITY_MANAGERS, Role.GridWorker];
/** How long a registration may stay half done before the recovery sweep finishes it. */
const SETTLE_GRACE_MS = 10_000;
const SWEEP_MS = 5_000;
/** How far down the waiting list one promotion round looks. */
const WAITING_WINDOW = 500;

/** 144 random bits: a code cannot be guessed, and the unique index keeps it to one registration. */
function newCheckInCode(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Registrations and their waiting list. A registration is inserted pending (the unique index on activity and
 * person refuses a second one), then settled: places are taken by one conditional update of the activity, which
 * decides who gets the last place, and the registration moves from pending to confirmed or waiting with its event.
 * Moving up from the waiting list goes through pending too, so a round of promotions takes each registration once.
 * A process stopped between the two writes leaves the registration pending (or cancelled with its places still
 * held); the recovery sweep finishes it.
 */
@Injectable()
export class RegistrationsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly registrations: RegistrationsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly activityService: ActivitiesService,
    private readonly residencies: ResidencyService,
    private readonly outbox: Outbox,
    private readonly consumers: DurableConsumers,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    @Inject(ACTIVITIES_OPTIONS) private readonly options: ActivitiesOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.sweepTimer = setInterval(() => void this.recoverUnsettled(new Date(Date.now() - SETTLE_GRACE_MS)), SWEEP_MS);
    this.sweepTimer.unref();
    // The cancellation's own event finishes what a process stopped between the status change and the registrations left.
    await this.consumers.start({
      durable: 'activities-activity-cancelled',
      event: ActivitiesEvents.activityCancelled,
      handle: async (event) => {
        const activity = await this.activities.findById(objectId(event.data.activityId));
        if (activity) await this.cancelRegistrationsOf(activity, event.actor);
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweeping;
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
      _id: newId('registration'),
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
      outbox: [],
    };
    let stored = await this.registrations.insert(registration);
    if (!stored) {
      const live = await this.registrations.findOne({ communityId: activity.communityId, activityId: activity._id, holder: String(personId) });
      // A pending registration without a position is one a stopped attempt left half done: finish it instead of refusing.
      if (live?.status !== RegistrationStatus.Pending || live.queuePosition !== undefined) {
        throw new DomainException(ErrorCode.DUPLICATE, 'You are already registered for this activity');
      }
      stored = live;
    }
    // A retried registration the first attempt settled is answered as it is: settling it again could take places
    // for one cancelled or waiting meanwhile.
    if (stored.status !== RegistrationStatus.Pending || stored.queuePosition !== undefined) return toRegistrationView(stored, true);
    const settled = await this.settle(stored, caller.sub);
    // The activity may have been cancelled after it was read above: this registration goes with it.
    const now = await this.activities.findById(activity._id);
    if (now?.status === ActivityStatus.Cancelled) {
      await this.cancelRegistrationsOf(now, caller.sub);
      return toRegistrationView((await this.registrations.findById(stored._id)) ?? settled, true);
    }
    return toRegistrationView(settled, true);
  }

  /**
   * Gives a pending registration its places, or a place on the waiting list; answers it as settled. A pending
   * registration with a queue position is one being moved up: without places it goes back to its position.
   * Safe to repeat and to run twice at once: places are taken once per registration, and each move is conditional.
   */
  private async settle(registration: Registration, actor: string): Promise<Registration> {
    const { _id: id, activityId, headcount } = registration;
    const movingUp = registration.queuePosition !== undefined;
    if ((await this.activities.takeSeats(activityId, id, headcount)) || (await this.activities.holdsSeats(activityId, id))) {
      const event = this.event(movingUp ? ActivitiesEvents.registrationPromoted : ActivitiesEvents.registrationConfirmed, registration, actor);
      return this.finishSettling(registration, { status: RegistrationStatus.Confirmed }, event);
    }
    if (movingUp) return this.finishSettling(registration, { status: RegistrationStatus.Waitlisted });
    const queuePosition = await this.activities.nextQueuePosition(activityId);
    const queued = { ...registration, queuePosition };
    const settled = await this.finishSettling(
      registration,
      { status: RegistrationStatus.Waitlisted, queuePosition },
      this.event(ActivitiesEvents.registrationWaitlisted, queued, actor),
    );
    // Places may have freed while this one was pending, and so invisible to the promoter.
    if (settled.queuePosition === queuePosition) await this.promoteWaiting(registration.communityId, activityId, actor);
    return settled;
  }

  /** Moves a pending registration on with its event; when another settler moved it first, answers it as it is now. */
  private async finishSettling(registration: Registration, set: Partial<Registration>, event?: ReturnType<typeof newEvent>): Promise<Registration> {
    const before = await this.registrations.move(registration._id, { status: RegistrationStatus.Pending }, set, event);
    if (!before) return (await this.registrations.findById(registration._id)) ?? registration;
    if (event) await this.outbox.deliver(Registration.name, registration._id);
    return { ...before, ...set };
  }

  async cancel(caller: Principal, communityId: string, activityId: string, registrationId: string): Promise<RegistrationView> {
    const activity = await this.activityService.load(caller, communityId, activityId);
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
    const set = { status: RegistrationStatus.Cancelled, holder: `cancelled:${registration._id}`, seatReleased: !wasConfirmed };
    const before = await this.registrations.move(
      registration._id,
      { status: from, checkedInAt: { $exists: false } },
      set,
      this.event(ActivitiesEvents.registrationCancelled, registration, caller.sub),
    );
    if (!before) throw new DomainException(ErrorCode.CONFLICT, 'The registration changed meanwhile; read it again');
    await this.outbox.deliver(Registration.name, registration._id);
    if (wasConfirmed) await this.releaseAndPromote(registration, caller.sub);
    return toRegistrationView({ ...before, ...set }, own);
  }

  /** Cancels the activity, then every live registration of it, each with its cancelled event (reason: the activity). */
  async cancelActivity(caller: Principal, communityId: string, activityId: string): Promise<ActivityView> {
    const view = await this.activityService.take(caller, communityId, activityId, 'cancel');
    const activity = await this.activities.findById(objectId(activityId));
    if (activity) await this.cancelRegistrationsOf(activity, caller.sub);
    return view;
  }

  /** Safe to repeat and to run twice at once: each registration moves from live to cancelled by one conditional update. */
  private async cancelRegistrationsOf(activity: Activity, actor: string): Promise<void> {
    for (;;) {
      const live = await this.registrations.live(activity.communityId, activity._id, 200);
      if (live.length === 0) return;
      for (const registration of live) {
        const before = await this.registrations.move(
          registration._id,
          { status: registration.status },
          { status: RegistrationStatus.Cancelled, holder: `cancelled:${registration._id}`, seatReleased: true },
          this.event(ActivitiesEvents.registrationCancelled, registration, actor, 'activity_cancelled'),
        );
        if (before) await this.outbox.deliver(Registration.name, registration._id);
      }
    }
  }

  private async releaseAndPromote(registration: Registration, actor: string): Promise<void> {
    await this.activities.releaseSeats(registration.activityId, registration._id, registration.headcount);
    await this.registrations.markSeatReleased(registration._id);
    await this.promoteWaiting(registration.communityId, registration.activityId, actor);
  }

  /**
   * Moves waiting registrations up while places are free, first in line first. Each one is taken from waiting to
   * pending by one conditional update, so of concurrent rounds exactly one settles it; the others count its places
   * as given and look further down. A round goes on while it moves someone up.
   */
  private async promoteWaiting(communityId: Types.ObjectId, activityId: Types.ObjectId, actor: string): Promise<void> {
    for (;;) {
      const activity = await this.activities.findById(activityId);
      if (!activity || activity.status !== ActivityStatus.Published || activity.seatsLeft <= 0) return;
      const waiting = await this.registrations.waiting(communityId, activityId, WAITING_WINDOW);
      let movedUp = false;
      for (const candidate of choosePromotions(activity.seatsLeft, waiting as (Registration & { queuePosition: number })[])) {
        if (candidate.status !== RegistrationStatus.Waitlisted) continue;
        const before = await this.registrations.move(candidate._id, { status: RegistrationStatus.Waitlisted }, { status: RegistrationStatus.Pending });
        if (!before) continue;
        const settled = await this.settle({ ...before, status: RegistrationStatus.Pending }, actor);
        if (settled.status === RegistrationStatus.Confirmed) movedUp = true;
      }
      if (!movedUp) return;
    }
  }

  /** Finishes what a stopped process left: registrations still pending, and places of cancelled ones not yet given back. */
  recoverUnsettled(before: Date): Promise<void> {
    this.sweeping ??= (async () => {
      for (const found of await this.registrations.unsettled(before, 100)) {
        if (!(await this.registrations.claimUnsettled(found, new Date()))) continue;
        if (found.status === RegistrationStatus.Pending) {
          const settled = await this.settle(found, 'system');
          if (settled.status === RegistrationStatus.Waitlisted) await this.promoteWaiting(found.communityId, found.activityId, 'system');
        } else {
          await this.releaseAndPromote(found, 'system');
        }
      }
    })()
      .catch((error) => this.logger.warn({ err: error }, 'registration recovery sweep failed; the next one retries'))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
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
    return this.registrations.list(
      {
        communityId: activity.communityId,
        activityId: activity._id,
        ...(query.status && { status: query.status }),
        ...(prefix && { personName: { $regex: `^${prefix}` } }),
      },
      { cursor: query.cursor, limit },
      (doc) => toRegistrationView(doc),
    );
  }

  async checkIn(caller: Principal, communityId: string, activityId: string, dto: CheckInDto): Promise<RegistrationView> {
    assertRole(caller, DOOR_STAFF);
    const activity = await this.activityService.load(caller, communityId, activityId);
    if (Boolean(dto.code) === Boolean(dto.registrationId)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Give either the scanned code or the registration id', [
        { field: 'code', reason: 'exactly one of code and registrationId is required' },
      ]);
    }
    const found = await this.registrations.findOne({
      communityId: activity.communityId,
      ...(dto.code ? { checkInCode: dto.code } : { _id: objectId(dto.registrationId!) }),
    });
    const registration = found && String(found.activityId) === String(activity._id) ? found : null;
    if (!registration) throw new DomainException(ErrorCode.NOT_FOUND, 'No registration of this activity has this code');
    if (registration.status !== RegistrationStatus.Confirmed) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, `A ${registration.status} registration holds no place`);
    }
    if (registration.checkedInAt) {
      throw new DomainException(ErrorCode.DUPLICATE, `Already checked in at ${registration.checkedInAt.toISOString()}`);
    }
    const at = new Date();
    const window = checkInWindow(at, activity.startsAt, activity.endsAt, {
      opensBeforeMs: this.options.checkInOpensBeforeMs,
      closesAfterStartMs: this.options.checkInClosesAfterStartMs,
    });
    if (window !== 'open') {
      throw new DomainException(
        ErrorCode.OUTSIDE_WINDOW,
        window === 'not_open' ? 'Check-in has not opened for this activity yet' : 'Check-in for this activity has closed',
        { startsAt: activity.startsAt.toISOString(), endsAt: activity.endsAt.toISOString() },
      );
    }
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
    const before = await this.registrations.move(
      registration._id,
      { status: RegistrationStatus.Confirmed, checkedInAt: { $exists: false } },
      { checkedInAt: at },
      event,
    );
    if (!before) throw new DomainException(ErrorCode.DUPLICATE, 'This registration was checked in or cancelled a moment ago');
    await this.outbox.deliver(Registration.name, registration._id);
    return toRegistrationView({ ...before, checkedInAt: at });
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
    return registration;
  }

  private event(contract: EventContract<RegistrationData>, registration: Registration, actor: string, reason?: RegistrationData['reason']) {
    return newEvent(
      contract,
      {
        registrationId: String(registration._id),
        activityId: String(registration.activityId),
        personId: String(registration.personId),
        headcount: registration.headcount,
        ...(registration.queuePosition !== undefined && { queuePosition: registration.queuePosition }),
        ...(reason && { reason }),
      },
      { communityId: String(registration.communityId), actor, correlationId: currentCorrelationId() },
    );
  }
}
