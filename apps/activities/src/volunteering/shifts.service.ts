import { Injectable } from '@nestjs/common';
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
import { Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { formatHours, parseHours, shiftLength } from './hours';
import { mayCompleteShift } from './shift-completion';
import { Shift } from './shift.schema';
import { ShiftsRepository } from './shifts.repository';
import { SignUp } from './sign-up.schema';

/** Those who organise volunteers: community staff and grid workers. */
const ORGANISERS = [...COMMUNITY_MANAGERS, Role.GridWorker];

function toShiftView(shift: Shift): ShiftView {
  return {
    id: String(shift._id),
    communityId: String(shift.communityId),
    source: shift.source,
    role: shift.role,
    startsAt: shift.startsAt.toISOString(),
    endsAt: shift.endsAt.toISOString(),
    headcount: shift.headcount,
    slotsLeft: Math.max(shift.headcount - (shift.volunteers?.length ?? 0), 0),
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
export class ShiftsService {
  constructor(
    private readonly shifts: ShiftsRepository,
    private readonly outbox: Outbox,
  ) {}

  async create(caller: Principal, communityId: string, dto: CreateShiftDto): Promise<ShiftView> {
    assertRole(caller, ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const [startsAt, endsAt] = [new Date(dto.startsAt), new Date(dto.endsAt)];
    if (endsAt <= startsAt) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The shift is not valid', [{ field: 'endsAt', reason: 'endsAt must be after startsAt' }]);
    }
    const shift = await this.shifts.insertShift({
      _id: newId('shift'),
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      source: { kind: dto.source.kind, id: dto.source.id, title: dto.source.title },
      sourceId: dto.source.id,
      role: dto.role,
      startsAt,
      endsAt,
      headcount: dto.headcount,
      hoursHundredths: dto.hours ? parseHours(dto.hours) : shiftLength(startsAt, endsAt),
      createdBy: caller.sub,
      volunteers: [],
    });
    return toShiftView(shift);
  }

  async list(caller: Principal, communityId: string, query: ListShiftsQueryDto): Promise<ShiftPage> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    return this.shifts.listShifts({ communityId: community, ...(query.sourceId && { sourceId: query.sourceId }) }, { cursor: query.cursor, limit }, toShiftView);
  }

  /**
   * A resident signs up: the place is taken by one conditional update of the shift (so of 30 at once for 20 places
   * exactly 20 win), then the sign-up is inserted, unique per person. A person who holds a place but has no sign-up
   * (a stopped attempt) gets it written when they sign up again.
   */
  async signUp(caller: Principal, communityId: string, shiftId: string): Promise<SignUpView> {
    const shift = await this.load(caller, communityId, shiftId);
    if (!caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents sign up for shifts');
    const now = new Date();
    if (shift.startsAt <= now) throw new DomainException(ErrorCode.OUTSIDE_WINDOW, 'The shift has already started');
    const personId = objectId(caller.personId, ErrorCode.FORBIDDEN);
    if (!(await this.shifts.takePlace(shift, personId, now)) && !(await this.shifts.holdsPlace(shift._id, personId))) {
      throw new DomainException(ErrorCode.ALREADY_TAKEN, 'The shift has all the volunteers it needs');
    }
    const stored = await this.shifts.insertSignUp({
      _id: newId('sign-up'),
      communityId: shift.communityId,
      shiftId: shift._id,
      personId,
      personName: caller.name,
      status: SignUpStatus.SignedUp,
      signedUpAt: now,
      outbox: [],
    });
    if (!stored) throw new DomainException(ErrorCode.DUPLICATE, 'You already signed up for this shift');
    return toSignUpView(stored);
  }

  async listSignUps(caller: Principal, communityId: string, shiftId: string, page: PageQueryDto): Promise<SignUpPage> {
    assertRole(caller, ORGANISERS);
    const shift = await this.load(caller, communityId, shiftId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    return this.shifts.listSignUps({ communityId: shift.communityId, shiftId: shift._id }, { cursor: page.cursor, limit }, toSignUpView);
  }

  async confirm(caller: Principal, communityId: string, shiftId: string, signUpId: string): Promise<SignUpView> {
    assertRole(caller, ORGANISERS);
    return this.step(caller, communityId, shiftId, signUpId, SignUpStatus.SignedUp, () => ({
      set: { status: SignUpStatus.Confirmed, confirmedBy: caller.sub },
    }));
  }

  /** Completion credits the hours: its event is written by the one update that completes, so it is published once. */
  async complete(caller: Principal, communityId: string, shiftId: string, signUpId: string, dto: CompleteShiftDto): Promise<SignUpView> {
    assertRole(caller, ORGANISERS);
    const completedAt = new Date();
    return this.step(caller, communityId, shiftId, signUpId, SignUpStatus.Confirmed, (shift, signUp) => {
      if (!mayCompleteShift(completedAt, shift.startsAt)) {
        throw new DomainException(ErrorCode.OUTSIDE_WINDOW, 'A shift can be completed only once it has started', {
          startsAt: shift.startsAt.toISOString(),
        });
      }
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
    const signUp = await this.shifts.findSignUp({ communityId: shift.communityId, shiftId: shift._id, _id: id });
    if (!signUp) throw new DomainException(ErrorCode.NOT_FOUND, `No sign-up ${signUpId} for this shift`);
    const refused = (status: SignUpStatus) =>
      new DomainException(ErrorCode.INVALID_TRANSITION, `A ${status} sign-up cannot move on from ${from}`);
    if (signUp.status !== from) throw refused(signUp.status);
    const change = decide(shift, signUp);
    const before = await this.shifts.stepSignUp(id, from, change.set, change.event);
    if (!before) throw refused((await this.shifts.findSignUp({ communityId: shift.communityId, _id: id }))?.status ?? signUp.status);
    if (change.event) await this.outbox.deliver(SignUp.name, id);
    return toSignUpView({ ...before, ...change.set });
  }

  private async load(caller: Principal, communityId: string, shiftId: string): Promise<Shift> {
    assertCommunityAccess(caller, communityId);
    const shift = await this.shifts.findShift({ communityId: objectId(communityId, ErrorCode.NOT_FOUND), _id: objectId(shiftId) });
    if (!shift) throw new DomainException(ErrorCode.NOT_FOUND, `No volunteer shift ${shiftId} in this community`);
    return shift;
  }
}
