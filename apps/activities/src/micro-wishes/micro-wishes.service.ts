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
import { EventPublisher, OutboxRelay } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { KeyedLocks } from '@cg/persistence';
import { COMPLETION_PASS_MS, CompletionWindow } from '../activities/change-journal';
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

@Injectable()
export class MicroWishesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Publishes the events of `micro_wish_changes`; wishes themselves carry no outbox. */
  private readonly relay: OutboxRelay;
  private readonly window = new CompletionWindow();
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;
  private completionTimer?: NodeJS.Timeout;
  private completing?: Promise<number>;

  constructor(
    private readonly wishes: MicroWishesRepository,
    private readonly residencies: ResidencyService,
    private readonly locks: KeyedLocks,
    @Inject(ACTIVITIES_OPTIONS) private readonly options: ActivitiesOptions,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.relay = new OutboxRelay(wishes.changeCollection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    void this.handOverOutboxes();
    void this.completeChanges();
    this.sweepTimer = setInterval(() => void this.expireDue(new Date()), EXPIRY_SWEEP_MS);
    this.sweepTimer.unref();
    this.completionTimer = setInterval(() => void this.completeChanges(), COMPLETION_PASS_MS);
    this.completionTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.completionTimer) clearInterval(this.completionTimer);
    await this.sweeping;
    await this.completing;
    await this.relay.stop();
  }

  async post(caller: Principal, communityId: string, dto: PostMicroWishDto): Promise<MicroWishView> {
    assertCommunityAccess(caller, communityId);
    if (!caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents post micro-wishes');
    const residency = await this.residencies.find(communityId, caller.personId);
    if (!residency) throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'Your residence in this community is not known yet');
    const wish: MicroWish = {
      _id: new Types.ObjectId(),
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
      version: 0,
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
    const docs = await this.wishes.list(
      {
        communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
        ...(status && { status }),
        ...(query.mine && { residentPersonId: objectId(caller.personId!, ErrorCode.VALIDATION_FAILED) }),
        ...(query.gridId && { gridId: objectId(query.gridId, ErrorCode.VALIDATION_FAILED) }),
        ...(query.category && { category: query.category }),
      },
      query.cursor,
      limit,
    );
    return toPage(docs, limit, (wish) => toView(wish, staff || Boolean(query.mine)));
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

  /** Expires approved wishes nobody claimed in time; each under the wish's lock, so a claim in flight wins or loses whole. */
  expireDue(now: Date): Promise<number> {
    this.sweeping ??= (async () => {
      let expired = 0;
      const { from, to } = wishStep('expire');
      for (const { _id } of await this.wishes.dueToExpire(now, 500)) {
        const moved = await this.locks.run(`micro-wish:${_id}`, async () => {
          const found = await this.wishes.findById(_id);
          const wish = found && (await this.wishes.catchUp(found));
          if (!wish || wish.status !== from || !wish.expiresAt || wish.expiresAt > now) return false;
          return (await this.wishes.step(wish, { status: to, closedAt: now })) !== undefined;
        });
        if (moved) expired += 1;
      }
      return expired;
    })()
      .catch((error) => {
        this.logger.warn({ err: error }, 'micro-wish expiry sweep failed');
        return 0;
      })
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Reads, checks and moves the wish under its lock: of two claims at once exactly one finds it still approved. */
  private async step(
    caller: Principal,
    communityId: string,
    wishId: string,
    step: MicroWishStep,
    decide: (wish: MicroWish) => { set: Partial<MicroWish>; event?: ReturnType<typeof newEvent> },
  ): Promise<MicroWishView> {
    const found = await this.load(caller, communityId, wishId);
    const { from, to } = wishStep(step);
    const { wish, changeId } = await this.locks.run(`micro-wish:${found._id}`, async () => {
      // A step a stopped writer claimed but did not write is finished before this one is decided.
      const current = await this.wishes.catchUp((await this.wishes.findById(found._id))!);
      if (current.status !== from) {
        if (step === 'claim' && current.claimant) {
          throw new DomainException(ErrorCode.ALREADY_TAKEN, 'Someone else claimed this wish first');
        }
        throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${current.status} wish cannot ${step}`);
      }
      const change = decide(current);
      // The event goes in the step's own record (micro_wish_changes), never on the wish: the relay's removal of a
      // published event rewrites only that record, so it cannot undo a later step of the wish.
      const changeId = await this.wishes.step(current, { ...change.set, status: to }, change.event);
      if (!changeId) throw new DomainException(ErrorCode.CONFLICT, 'The wish changed meanwhile; read it again');
      return { wish: (await this.wishes.findById(current._id))!, changeId: change.event && changeId };
    });
    if (changeId) await this.relay.kick(changeId);
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

  /**
   * Finishes steps whose writer stopped between claiming the step and writing the wish (see ChangeJournal); returns
   * how many wishes it caught up. Each pass reads the steps written since the last one; `window` checks the given
   * one instead.
   */
  async completeChanges(window?: { since: Date; before: Date }): Promise<number> {
    while (this.completing) await this.completing;
    this.completing = (async () => {
      const range = window ?? this.window.next();
      let caughtUp = 0;
      for (const id of await this.wishes.journal.behind(range.since, range.before)) {
        await this.locks.run(`micro-wish:${id}`, async () => {
          const wish = await this.wishes.findById(id);
          if (wish) await this.wishes.catchUp(wish);
        });
        caughtUp += 1;
      }
      if (!window) this.window.done(range.before);
      if (caughtUp > 0) this.logger.warn({ caughtUp }, 'finished micro-wish steps a stopped writer left unapplied');
      return caughtUp;
    })()
      .catch((error) => {
        this.logger.warn({ err: error }, 'micro-wish step completion failed; the next pass retries');
        return 0;
      })
      .finally(() => (this.completing = undefined));
    return this.completing;
  }

  /** Publishes, once, the events wishes written before the change journal still hold in their own outbox. */
  async handOverOutboxes(): Promise<void> {
    try {
      for (const id of await this.wishes.journal.handOver()) await this.relay.kick(id);
    } catch (error) {
      this.logger.warn({ err: error }, 'micro-wish outbox hand-over failed; the next start retries');
    }
  }

  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }
}
