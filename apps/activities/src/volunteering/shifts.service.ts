import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  CompleteShiftDto,
  CreateShiftDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  ListShiftsQueryDto,
  PageQueryDto,
  Principal,
  Role,
  ShiftPage,
  ShiftView,
  SignUpPage,
  SignUpStatus,
  SignUpView,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { EventPublisher, OutboxRelay } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { KeyedLocks } from '@cg/persistence';
import { formatHours, parseHours, shiftLength } from './hours';
import { Shift } from './shift.schema';
import { ShiftsRepository } from './shifts.repository';
import { SignUp } from './sign-up.schema';

/** Those who organise volunteers: community staff and grid workers. */
const ORGANISERS = [...COMMUNITY_MANAGERS, Role.GridWorker];

function toShiftView(shift: Shift, taken: number): ShiftView {
  return {
    id: String(shift._id),
    communityId: String(shift.communityId),
    source: shift.source,
    role: shift.role,
    startsAt: shift.startsAt.toISOString(),
    endsAt: shift.endsAt.toISOString(),
    headcount: shift.headcount,
    slotsLeft: Math.max(shift.headcount - taken, 0),
    hours: formatHours(shift.hoursHundredths),
  };
}

function toSignUpView(signUp: SignUp): SignUpView {
  return {
    id: String(signUp._id),
    shiftId: String(signUp.shiftId),
    personId: String(signUp.personId),
    personName: signUp.personName,
    status: signUp.status,
    ...(signUp.hoursHundredths !== undefined && { hours: formatHours(signUp.hoursHundredths) }),
    signedUpAt: signUp.signedUpAt.toISOString(),
    ...(signUp.completedAt && { completedAt: signUp.completedAt.toISOString() }),
  };
}

@Injectable()
export class ShiftsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    private readonly shifts: ShiftsRepository,
    private readonly locks: KeyedLocks,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.relay = new OutboxRelay(shifts.signUpCollection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  async create(caller: Principal, communityId: string, dto: CreateShiftDto): Promise<ShiftView> {
    assertRole(caller, ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const [startsAt, endsAt] = [new Date(dto.startsAt), new Date(dto.endsAt)];
    if (endsAt <= startsAt) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The shift is not valid', [{ field: 'endsAt', reason: 'endsAt must be after startsAt' }]);
    }
    const shift = await this.shifts.insertShift({
      _id: new Types.ObjectId(),
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      source: { kind: dto.source.kind, id: dto.source.id, title: dto.source.title },
      sourceId: dto.source.id,
      role: dto.role,
      startsAt,
      endsAt,
      headcount: dto.headcount,
      hoursHundredths: dto.hours ? parseHours(dto.hours) : shiftLength(startsAt, endsAt),
      createdBy: caller.sub,
    });
    return toShiftView(shift, 0);
  }

  async list(caller: Principal, communityId: string, query: ListShiftsQueryDto): Promise<ShiftPage> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const docs = await this.shifts.listShifts({ communityId: community, ...(query.sourceId && { sourceId: query.sourceId }) }, query.cursor, limit);
    const counts = await this.shifts.countSignUps(community, docs.map((d) => d._id));
    const taken = new Map(counts.map((c) => [String(c._id), c.n]));
    return toPage(docs, limit, (shift) => toShiftView(shift, taken.get(String(shift._id)) ?? 0));
  }

  /** A resident signs up; the head-count is checked and the sign-up written under the shift's lock. */
  async signUp(caller: Principal, communityId: string, shiftId: string): Promise<SignUpView> {
    const shift = await this.load(caller, communityId, shiftId);
    if (!caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents sign up for shifts');
    if (shift.startsAt <= new Date()) throw new DomainException(ErrorCode.OUTSIDE_WINDOW, 'The shift has already started');
    const personId = objectId(caller.personId, ErrorCode.FORBIDDEN);
    const signUp = await this.locks.run(shiftKey(shift._id), async () => {
      const [count] = await this.shifts.countSignUps(shift.communityId, [shift._id]);
      if ((count?.n ?? 0) >= shift.headcount) throw new DomainException(ErrorCode.ALREADY_TAKEN, 'The shift has all the volunteers it needs');
      const stored = await this.shifts.insertSignUp({
        _id: new Types.ObjectId(),
        communityId: shift.communityId,
        shiftId: shift._id,
        personId,
        personName: caller.name,
        status: SignUpStatus.SignedUp,
        signedUpAt: new Date(),
        outbox: [],
      });
      if (!stored) throw new DomainException(ErrorCode.DUPLICATE, 'You already signed up for this shift');
      return stored;
    });
    return toSignUpView(signUp);
  }

  async listSignUps(caller: Principal, communityId: string, shiftId: string, page: PageQueryDto): Promise<SignUpPage> {
    assertRole(caller, ORGANISERS);
    const shift = await this.load(caller, communityId, shiftId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const docs = await this.shifts.listSignUps({ communityId: shift.communityId, shiftId: shift._id }, page.cursor, limit);
    return toPage(docs, limit, toSignUpView);
  }

  async confirm(caller: Principal, communityId: string, shiftId: string, signUpId: string): Promise<SignUpView> {
    assertRole(caller, ORGANISERS);
    return this.step(caller, communityId, shiftId, signUpId, SignUpStatus.SignedUp, () => ({
      set: { status: SignUpStatus.Confirmed, confirmedBy: caller.sub },
    }));
  }

  /** Completion credits the hours: its event is written with the change, so membership hears of it exactly once. */
  async complete(caller: Principal, communityId: string, shiftId: string, signUpId: string, dto: CompleteShiftDto): Promise<SignUpView> {
    assertRole(caller, ORGANISERS);
    const completedAt = new Date();
    const view = await this.step(caller, communityId, shiftId, signUpId, SignUpStatus.Confirmed, (shift, signUp) => {
      const hoursHundredths = dto.hours ? parseHours(dto.hours) : shift.hoursHundredths;
      return {
        set: { status: SignUpStatus.Completed, hoursHundredths, completedAt },
        event: newEvent(
          ActivitiesEvents.shiftCompleted,
          {
            shiftId,
            sourceId: shift.sourceId,
            personId: String(signUp.personId),
            hours: formatHours(hoursHundredths),
            completedAt: completedAt.toISOString(),
            signUpId,
          },
          { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
        ),
      };
    });
    // The event is in the sign-up's outbox; a completed sign-up is not written again.
    void this.relay.kick(objectId(signUpId));
    return view;
  }

  private async step(
    caller: Principal,
    communityId: string,
    shiftId: string,
    signUpId: string,
    from: SignUpStatus,
    decide: (shift: Shift, signUp: SignUp) => { set: Partial<SignUp>; event?: ReturnType<typeof newEvent> },
  ): Promise<SignUpView> {
    const shift = await this.load(caller, communityId, shiftId);
    const id = objectId(signUpId);
    return this.locks.run(shiftKey(shift._id), async () => {
      const signUp = await this.shifts.findSignUp({ communityId: shift.communityId, shiftId: shift._id, _id: id });
      if (!signUp) throw new DomainException(ErrorCode.NOT_FOUND, `No sign-up ${signUpId} for this shift`);
      if (signUp.status !== from) {
        throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${signUp.status} sign-up cannot move on from ${from}`);
      }
      const change = decide(shift, signUp);
      await this.shifts.stepSignUp(id, from, change.set, change.event);
      return toSignUpView((await this.shifts.findSignUp({ communityId: shift.communityId, _id: id }))!);
    });
  }

  private async load(caller: Principal, communityId: string, shiftId: string): Promise<Shift> {
    assertCommunityAccess(caller, communityId);
    const shift = await this.shifts.findShift({ communityId: objectId(communityId, ErrorCode.NOT_FOUND), _id: objectId(shiftId) });
    if (!shift) throw new DomainException(ErrorCode.NOT_FOUND, `No volunteer shift ${shiftId} in this community`);
    return shift;
  }

  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }
}

function shiftKey(shiftId: Types.ObjectId): string {
  return `shift:${shiftId}`;
}
