import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  ClaimMicroWishDto,
  ClaimantKind,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  ListMicroWishesQueryDto,
  MicroWishNoteDto,
  MicroWishPage,
  MicroWishStatus,
  MicroWishView,
  PostMicroWishDto,
  Principal,
  ReviewDecision,
  ReviewMicroWishDto,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { FilterQuery } from 'mongoose';
import { ACTIVITIES_OPTIONS, ActivitiesOptions } from '../options';
import { ResidencyService } from '../residents/residency.service';
import { MicroWishStep, claimDeadline, isClaimable, wishStep } from './micro-wish-lifecycle';
import { MicroWish } from './micro-wish.schema';
import { MicroWishesRepository } from './micro-wishes.repository';

const EXPIRY_SWEEP_MS = 60_000;
/** Statuses anyone in the community may see; the rest only the resident who posted and staff. */
const PUBLIC_STATUSES = [
  MicroWishStatus.Approved,
  MicroWishStatus.Claimed,
  MicroWishStatus.Fulfilled,
  MicroWishStatus.Confirmed,
  MicroWishStatus.Disputed,
];

function toView(wish: MicroWish, full: boolean): MicroWishView {
  return {
    id: String(wish._id),
    communityId: String(wish.communityId),
    what: wish.what,
    why: wish.why,
    neededBy: wish.neededBy,
    category: wish.category,
    photoUrls: wish.photoUrls,
    gridId: String(wish.gridId),
    status: wish.status,
    ...(full && { residentPersonId: String(wish.residentPersonId) }),
    ...(wish.rejectionReason && { rejectionReason: wish.rejectionReason }),
    ...(wish.expiresAt && { expiresAt: wish.expiresAt.toISOString() }),
    ...(wish.claimant && {
      claimant: {
        kind: wish.claimant.kind,
        name: wish.claimant.name,
        ...(wish.claimant.personId && { personId: wish.claimant.personId }),
        claimedAt: wish.claimant.claimedAt.toISOString(),
      },
    }),
    ...(wish.fulfilledAt && { fulfilledAt: wish.fulfilledAt.toISOString() }),
    ...(wish.fulfilmentNote && { fulfilmentNote: wish.fulfilmentNote }),
    ...(wish.closedAt && { closedAt: wish.closedAt.toISOString() }),
    ...(wish.residentNote && { residentNote: wish.residentNote }),
    postedAt: wish.postedAt.toISOString(),
  };
}

/** What a step changes, the event it causes, and what must still hold of the wish besides its status. */
interface StepChange {
  set: Partial<MicroWish>;
  event?: ReturnType<typeof newEvent>;
  guard?: FilterQuery<MicroWish>;
}

/**
 * Micro-wishes move step by step, each by one conditional update of the wish on its status (so of 50 claims at
 * once exactly one finds it approved), carrying the step's event in the wish's own outbox.
 */
@Injectable()
export class MicroWishesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    private readonly wishes: MicroWishesRepository,
    private readonly residencies: ResidencyService,
    private readonly outbox: Outbox,
    @Inject(ACTIVITIES_OPTIONS) private readonly options: ActivitiesOptions,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => void this.expireDue(new Date()), EXPIRY_SWEEP_MS);
    this.sweepTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweeping;
  }

  async post(caller: Principal, communityId: string, dto: PostMicroWishDto): Promise<MicroWishView> {
    assertCommunityAccess(caller, communityId);
    if (!caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents post micro-wishes');
    const residency = await this.residencies.find(communityId, caller.personId);
    if (!residency) throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'Your residence in this community is not known yet');
    const wish: MicroWish = {
      _id: newId('micro-wish'),
      communityId: residency.communityId,
      residentPersonId: residency._id,
      gridId: residency.gridId,
      buildingId: residency.buildingId,
      what: dto.what,
      why: dto.why,
      neededBy: dto.neededBy,
      category: dto.category,
      photoUrls: dto.photoUrls ?? [],
      status: MicroWishStatus.PendingReview,
      postedAt: new Date(),
      outbox: [],
    };
    return toView(await this.wishes.insert(wish), true);
  }

  async get(caller: Principal, communityId: string, wishId: string): Promise<MicroWishView> {
    const wish = await this.load(caller, communityId, wishId);
    const full = this.seesAll(caller, wish);
    if (!full && !PUBLIC_STATUSES.includes(wish.status)) {
      throw new DomainException(ErrorCode.NOT_FOUND, `No micro-wish ${wishId} in this community`);
    }
    return toView(wish, full);
  }

  async list(caller: Principal, communityId: string, query: ListMicroWishesQueryDto): Promise<MicroWishPage> {
    assertCommunityAccess(caller, communityId);
    const staff = hasAnyRole(caller, [...COMMUNITY_MANAGERS, Role.System]);
    if (query.mine && !caller.personId) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'This account is not linked to a resident');
    }
    // A resident sees their own wishes in every status; otherwise the board, or any status for staff.
    const status = query.mine ? query.status : (query.status ?? MicroWishStatus.Approved);
    if (!query.mine && status && !PUBLIC_STATUSES.includes(status) && !staff) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only community staff list wishes that are not on the board');
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    return this.wishes.list(
      {
        communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
        ...(status && { status }),
        ...(query.mine && { residentPersonId: objectId(caller.personId!, ErrorCode.VALIDATION_FAILED) }),
        ...(query.gridId && { gridId: objectId(query.gridId, ErrorCode.VALIDATION_FAILED) }),
        ...(query.category && { category: query.category }),
      },
      { cursor: query.cursor, limit },
      (wish) => toView(wish, staff || Boolean(query.mine)),
    );
  }

  async review(caller: Principal, communityId: string, wishId: string, dto: ReviewMicroWishDto): Promise<MicroWishView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    if (dto.decision === ReviewDecision.Reject && !dto.reason) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'A rejection needs a reason', [{ field: 'reason', reason: 'required when rejecting' }]);
    }
    const now = new Date();
    return dto.decision === ReviewDecision.Approve
      ? this.step(caller, communityId, wishId, 'approve', () => ({
          set: { reviewedBy: caller.sub, expiresAt: claimDeadline(now, this.options.microWishClaimWindowMs) },
        }))
      : this.step(caller, communityId, wishId, 'reject', () => ({ set: { reviewedBy: caller.sub, rejectionReason: dto.reason, closedAt: now } }));
  }

  async claim(caller: Principal, communityId: string, wishId: string, dto: ClaimMicroWishDto): Promise<MicroWishView> {
    let name: string;
    if (dto.kind === ClaimantKind.PartyMember) {
      assertRole(caller, [Role.PartyMember]);
      name = caller.name;
    } else {
      // Enterprises and public units have no accounts of their own: community staff record their claims.
      assertRole(caller, COMMUNITY_MANAGERS);
      if (!dto.organisationName) {
        throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Name the enterprise or public unit', [
          { field: 'organisationName', reason: 'required for an enterprise or public unit' },
        ]);
      }
      name = dto.organisationName;
    }
    const now = new Date();
    return this.step(caller, communityId, wishId, 'claim', (wish) => {
      if (!isClaimable(wish.status, wish.expiresAt, now)) {
        throw new DomainException(ErrorCode.OUTSIDE_WINDOW, 'The time to claim this wish has passed');
      }
      const claimant = {
        kind: dto.kind,
        name,
        ...(dto.kind === ClaimantKind.PartyMember && caller.personId && { personId: caller.personId }),
        accountId: caller.sub,
        claimedAt: now,
      };
      return {
        set: { claimant },
        guard: { expiresAt: { $gt: now } },
        event: newEvent(
          ActivitiesEvents.microWishClaimed,
          { wishId, claimantKind: dto.kind, claimantName: name, ...(claimant.personId && { claimantPersonId: claimant.personId }), claimedAt: now.toISOString() },
          { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
        ),
      };
    });
  }

  async fulfil(caller: Principal, communityId: string, wishId: string, dto: MicroWishNoteDto): Promise<MicroWishView> {
    const now = new Date();
    return this.step(caller, communityId, wishId, 'fulfil', (wish) => {
      if (wish.claimant?.accountId !== caller.sub && !hasAnyRole(caller, COMMUNITY_MANAGERS)) {
        throw new DomainException(ErrorCode.FORBIDDEN, 'Only the claimant marks a wish fulfilled');
      }
      return {
        set: { fulfilledAt: now, ...(dto.note && { fulfilmentNote: dto.note }) },
        event: newEvent(
          ActivitiesEvents.microWishFulfilled,
          {
            wishId,
            claimantKind: wish.claimant!.kind,
            ...(wish.claimant!.personId && { claimantPersonId: wish.claimant!.personId }),
            claimantName: wish.claimant!.name,
            residentPersonId: String(wish.residentPersonId),
            fulfilledAt: now.toISOString(),
          },
          { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
        ),
      };
    });
  }

  async close(caller: Principal, communityId: string, wishId: string, step: 'confirm' | 'dispute', dto: MicroWishNoteDto): Promise<MicroWishView> {
    if (step === 'dispute' && !dto.note) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Say what went wrong', [{ field: 'note', reason: 'required for a dispute' }]);
    }
    const now = new Date();
    return this.step(caller, communityId, wishId, step, (wish) => {
      if (String(wish.residentPersonId) !== caller.personId) {
        throw new DomainException(ErrorCode.FORBIDDEN, 'Only the resident who posted the wish confirms or disputes it');
      }
      return {
        set: { closedAt: now, ...(dto.note && { residentNote: dto.note }) },
        ...(step === 'confirm' && {
          event: newEvent(
            ActivitiesEvents.microWishConfirmed,
            {
              wishId,
              residentPersonId: String(wish.residentPersonId),
              claimantKind: wish.claimant!.kind,
              ...(wish.claimant!.personId && { claimantPersonId: wish.claimant!.personId }),
              confirmedAt: now.toISOString(),
            },
            { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
          ),
        }),
      };
    });
  }

  /** Expires approved wishes nobody claimed in time, in one conditional update: a claim decided first keeps its wish. */
  expireDue(now: Date): Promise<number> {
    this.sweeping ??= this.wishes
      .expireDue(now)
      .catch((error) => {
        this.logger.warn({ err: error }, 'micro-wish expiry sweep failed');
        return 0;
      })
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Checks the step against the wish as read, then takes it only if the wish is still in the step's starting status. */
  private async step(
    caller: Principal,
    communityId: string,
    wishId: string,
    step: MicroWishStep,
    decide: (wish: MicroWish) => StepChange,
  ): Promise<MicroWishView> {
    const found = await this.load(caller, communityId, wishId);
    const { from, to } = wishStep(step);
    if (found.status !== from) throw refusal(step, found);
    const change = decide(found);
    const set = { ...change.set, status: to };
    const before = await this.wishes.step(found._id, { status: from, ...change.guard }, set, change.event);
    if (!before) throw refusal(step, (await this.wishes.findById(found._id)) ?? found);
    if (change.event) await this.outbox.deliver(MicroWish.name, found._id);
    const wish = { ...before, ...set };
    return toView(wish, this.seesAll(caller, wish));
  }

  private seesAll(caller: Principal, wish: MicroWish): boolean {
    return String(wish.residentPersonId) === caller.personId || hasAnyRole(caller, [...COMMUNITY_MANAGERS, Role.System]);
  }

  private async load(caller: Principal, communityId: string, wishId: string): Promise<MicroWish> {
    assertCommunityAccess(caller, communityId);
    const wish = await this.wishes.findOne({ communityId: objectId(communityId, ErrorCode.NOT_FOUND), _id: objectId(wishId) });
    if (!wish) throw new DomainException(ErrorCode.NOT_FOUND, `No micro-wish ${wishId} in this community`);
    return wish;
  }
}

/** Why a step was refused, from the wish as it is now. */
function refusal(step: MicroWishStep, wish: MicroWish): DomainException {
  if (step === 'claim' && wish.claimant) return new DomainException(ErrorCode.ALREADY_TAKEN, 'Someone else claimed this wish first');
  if (step === 'claim' && wish.status === wishStep('claim').from) {
    return new DomainException(ErrorCode.OUTSIDE_WINDOW, 'The time to claim this wish has passed');
  }
  return new DomainException(ErrorCode.INVALID_TRANSITION, `A ${wish.status} wish cannot ${step}`);
}
