import { Inject, Injectable } from '@nestjs/common';
import {
  AssemblyMatter,
  BallotClosedData,
  BallotPage,
  BallotProgress,
  BallotResultView,
  BallotStatus,
  BallotView,
  CandidateChoice,
  CandidateChoiceDto,
  CastVoteDto,
  CreateBallotDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  PageQueryDto,
  PaperVoteDto,
  Principal,
  PropertyEvents,
  ProxyStatus,
  ProxyView,
  RecordProxyDto,
  ResultVerification,
  RevokeProxyDto,
  Role,
  TallyResultView,
  VoteChannel,
  VoteReceipt,
  majorityOf,
  newEvent,
} from '@cg/contracts';
import { assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { formatHundredths } from '../owners/area';
import { OwnerRegisterRepository } from '../owners/owner-register.repository';
import { canonicalJson, hashRecord, RecordContents } from './ballot-record';
import { Ballot, BallotCandidate, BallotElector, BallotProxy, BallotResult, Vote } from './ballot.schema';
import { BALLOT_SCHEDULE, BallotSchedule, CLOSING_SOON_LEAD_MS } from './ballot-schedule';
import { BallotsRepository } from './ballots.repository';
import { electionTally } from './election-tally';
import { electorateOf } from './electorate';
import { participation } from './participation';
import { tally } from './tally';
import { mayClose, voteRefusal } from './voting-window';

/** Who organises assembly ballots and records paper ballots. */
export const BALLOT_ORGANISERS = [Role.OwnersCommitteeMember, Role.CommunityStaff, Role.DistrictAdmin];
const CACHED_ELECTORATES = 16;

/**
 * The id of the ballot the current write creates, here or for a topic or an election: a retried write finds the
 * ballot its first attempt drafted under this id.
 */
export const ballotIdOfWrite = (): Types.ObjectId => newId('ballot');

function toBallotView(ballot: Ballot): BallotView {
  return {
    id: String(ballot._id),
    communityId: String(ballot.communityId),
    title: ballot.title,
    ...(ballot.description && { description: ballot.description }),
    matter: ballot.matter,
    majority: ballot.majority,
    options: ballot.options,
    opensAt: ballot.opensAt.toISOString(),
    closesAt: ballot.closesAt.toISOString(),
    status: ballot.status,
    createdBy: ballot.createdBy,
    createdAt: ballot.createdAt.toISOString(),
    ...(ballot.openedAt && { openedAt: ballot.openedAt.toISOString() }),
    ...(ballot.closedAt && { closedAt: ballot.closedAt.toISOString() }),
    ...(ballot.electorate && {
      electorate: {
        owners: ballot.electorate.owners,
        units: ballot.electorate.units,
        area: formatHundredths(BigInt(ballot.electorate.areaHundredths)),
      },
    }),
    ...(ballot.seats !== undefined && { seats: ballot.seats }),
    ...(ballot.candidates && { candidates: ballot.candidates.map((c) => ({ candidateId: c.candidateId, personId: c.personId, name: c.name })) }),
  };
}

function toProxyView(proxy: BallotProxy): ProxyView {
  return {
    id: String(proxy._id),
    ballotId: String(proxy.ballotId),
    ownerKey: proxy.ownerKey,
    unitId: proxy.unitId,
    proxyPersonId: proxy.proxyPersonId,
    proxyName: proxy.proxyName,
    authorisation: proxy.authorisation,
    status: proxy.status,
    recordedBy: proxy.recordedBy,
    recordedAt: proxy.recordedAt.toISOString(),
    ...(proxy.revokedBy && { revokedBy: proxy.revokedBy }),
    ...(proxy.revokedAt && { revokedAt: proxy.revokedAt.toISOString() }),
    ...(proxy.revokeReason && { revokeReason: proxy.revokeReason }),
  };
}

/** What an election ballot is created with, by the election that runs it. */
export interface ElectionBallotSpec {
  electionId: string;
  title: string;
  description: string;
  seats: number;
  candidates: BallotCandidate[];
  opensAt: string;
  closesAt: string;
}

/** The summary of a sealed result the close event carries. */
function closedSummary(ballot: Ballot, sealed: BallotResult, closedBy: BallotClosedData['closedBy'], votesCounted: number): BallotClosedData {
  const result = sealed.result as unknown as TallyResultView;
  return {
    ballotId: String(ballot._id),
    closedAt: sealed.sealedAt.toISOString(),
    closedBy,
    outcome: result.outcome,
    quorumMet: result.quorumMet,
    ...(result.carriedOption && { carriedOption: result.carriedOption }),
    votesCounted,
    channels: result.channels ?? { online: 0, paper: 0, proxy: 0 },
    recordHash: sealed.recordHash,
    ...(result.seats && {
      seatsFilled: result.seats.seatsFilled,
      seatsEmpty: result.seats.seatsEmpty,
      electedCandidateIds: result.seats.elected,
    }),
  };
}

function toResultView(ballotId: Types.ObjectId, sealed: BallotResult): BallotResultView {
  return {
    ballotId: String(ballotId),
    communityId: String(sealed.communityId),
    result: sealed.result as unknown as TallyResultView,
    electorateHash: sealed.electorateHash,
    votesHash: sealed.votesHash,
    resultHash: sealed.resultHash,
    recordHash: sealed.recordHash,
    sealedAt: sealed.sealedAt.toISOString(),
  };
}

const REFUSALS = {
  not_open: 'This ballot is not open for voting',
  not_yet: 'The voting period has not started yet',
  ended: 'The voting period is over',
} as const;


/** An opening that has not finished in this long lost its opener; it is the longest an opening takes and then some. */
export const OPENING_STALLED_MS = 2 * 60_000;
@Injectable()
export class BallotsService {
  /** Frozen electorates never change once a ballot is open, so they are kept in memory for progress reads. */
  private readonly electorates = new Map<string, BallotElector[]>();

  constructor(
    private readonly ballots: BallotsRepository,
    private readonly register: OwnerRegisterRepository,
    private readonly outbox: Outbox,
    @Inject(BALLOT_SCHEDULE) private readonly schedule: BallotSchedule,
  ) {}

  async create(caller: Principal, communityId: string, dto: CreateBallotDto): Promise<BallotView> {
    return this.draft(caller, communityId, dto);
  }

  /** A multi-seat ballot of an election: each owner votes for, against or abstains on every candidate. */
  async createElectionBallot(caller: Principal, communityId: string, spec: ElectionBallotSpec): Promise<BallotView> {
    return this.draft(
      caller,
      communityId,
      { title: spec.title, description: spec.description, matter: AssemblyMatter.CommitteeElection, options: Object.values(CandidateChoice), opensAt: spec.opensAt, closesAt: spec.closesAt },
      { seats: spec.seats, candidates: spec.candidates, electionId: spec.electionId },
    );
  }

  private async draft(
    caller: Principal,
    communityId: string,
    dto: CreateBallotDto,
    election?: Pick<Ballot, 'seats' | 'candidates' | 'electionId'>,
  ): Promise<BallotView> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const opensAt = new Date(dto.opensAt);
    const closesAt = new Date(dto.closesAt);
    if (closesAt <= opensAt) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The voting period must end after it starts', [
        { field: 'closesAt', reason: 'closesAt must be later than opensAt' },
      ]);
    }
    if (closesAt.getTime() <= Date.now()) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The voting period is already over', [
        { field: 'closesAt', reason: 'closesAt must be in the future' },
      ]);
    }
    const ballot = await this.ballots.insertBallot({
      _id: ballotIdOfWrite(),
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      title: dto.title,
      ...(dto.description && { description: dto.description }),
      matter: dto.matter,
      majority: majorityOf(dto.matter),
      options: dto.options,
      opensAt,
      closesAt,
      status: BallotStatus.Draft,
      createdBy: caller.sub,
      createdAt: new Date(),
      ...election,
      outbox: [],
    });
    return toBallotView(ballot);
  }

  async list(caller: Principal, communityId: string, page: PageQueryDto): Promise<BallotPage> {
    assertCommunityAccess(caller, communityId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    return this.ballots.listBallots(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), { cursor: page.cursor, limit }, toBallotView);
  }

  async get(caller: Principal, communityId: string, ballotId: string): Promise<BallotView> {
    assertCommunityAccess(caller, communityId);
    return toBallotView(await this.load(communityId, ballotId));
  }

  /** Freezes the electorate from the owner register: owners registered later cannot vote on this ballot. */
  async open(caller: Principal, communityId: string, ballotId: string): Promise<BallotView> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const ballot = await this.load(communityId, ballotId);
    // An opening whose opener died (a crash between freezing the electorate and opening) is taken over once it has
    // stalled: the electorate is frozen again from the start, so nothing half-written stays.
    const stalled =
      ballot.status === BallotStatus.Opening && !!ballot.openedAt && Date.now() - ballot.openedAt.getTime() > OPENING_STALLED_MS;
    if (ballot.status !== BallotStatus.Draft && !stalled) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${ballot.status} ballot cannot be opened`);
    }
    if (ballot.closesAt.getTime() <= Date.now()) {
      throw new DomainException(ErrorCode.OUTSIDE_WINDOW, 'The voting period of this ballot is already over');
    }
    const openedAt = new Date();
    const taken = stalled
      ? await this.ballots.takeOverOpening(ballot.communityId, ballot._id, ballot.openedAt!, openedAt)
      : await this.ballots.transition(ballot.communityId, ballot._id, [BallotStatus.Draft], BallotStatus.Opening, { openedAt });
    if (!taken) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This ballot is being opened by someone else');
    }
    const units = await this.register.listCommunity(ballot.communityId);
    const electors = electorateOf(
      units.map((u) => ({
        unitId: String(u._id),
        buildingId: String(u.buildingId),
        areaHundredths: BigInt(u.areaHundredths),
        headcountKey: u.headcountKey,
        voterPersonId: u.voterPersonId,
      })),
    );
    if (electors.length === 0) {
      await this.ballots.transition(ballot.communityId, ballot._id, [BallotStatus.Opening], BallotStatus.Draft);
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'No owners are on the register of this community yet');
    }
    await this.ballots.replaceElectorate(
      ballot.communityId,
      ballot._id,
      electors.map((e, i) => ({
        _id: newId(`elector:${i}`),
        communityId: ballot.communityId,
        ballotId: ballot._id,
        ownerKey: e.ownerKey,
        areaHundredths: Number(e.areaHundredths),
        voterPersonIds: e.voterPersonIds,
        units: e.units.map((u) => ({ unitId: u.unitId, buildingId: u.buildingId, areaHundredths: Number(u.areaHundredths) })),
      })),
    );
    const electorate = {
      owners: electors.length,
      units: units.length,
      areaHundredths: Number(electors.reduce((sum, e) => sum + e.areaHundredths, 0n)),
    };
    const opened = newEvent(
      PropertyEvents.ballotOpened,
      {
        ballotId: String(ballot._id),
        title: ballot.title,
        matter: ballot.matter,
        opensAt: ballot.opensAt.toISOString(),
        closesAt: ballot.closesAt.toISOString(),
        electorate: { owners: electorate.owners, units: electorate.units, area: formatHundredths(BigInt(electorate.areaHundredths)) },
        ...(ballot.candidates && { seats: ballot.seats, candidateIds: ballot.candidates.map((c) => c.candidateId) }),
      },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    if (await this.ballots.transition(ballot.communityId, ballot._id, [BallotStatus.Opening], BallotStatus.Open, { electorate }, opened)) {
      void this.outbox.deliver(Ballot.name, ballot._id);
    }
    return toBallotView({ ...ballot, status: BallotStatus.Open, openedAt, electorate });
  }

  /**
   * An owner's own vote online, or a proxy's vote for an owner who authorised them in writing. A person who votes for
   * several owners names which one. Owner and proxy share the owner's one vote: the unique (ballot, owner) insert
   * lets exactly one of them in.
   */
  async castVote(caller: Principal, communityId: string, ballotId: string, dto: CastVoteDto): Promise<VoteReceipt> {
    assertCommunityAccess(caller, communityId);
    const ballot = await this.loadForVoting(communityId, ballotId, dto);
    if (!caller.personId) throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'Only owners of record and their proxies may vote');
    const [own, held] = await Promise.all([
      this.ballots.electorsVotedBy(ballot.communityId, ballot._id, caller.personId),
      this.ballots.proxiesHeldBy(ballot.communityId, ballot._id, caller.personId),
    ]);
    const delegated = held.filter((p) => !own.some((e) => e.ownerKey === p.ownerKey));
    let votesFor: { ownerKey: string; elector?: BallotElector; proxy?: BallotProxy }[] = [
      ...own.map((elector) => ({ ownerKey: elector.ownerKey, elector })),
      ...delegated.map((proxy) => ({ ownerKey: proxy.ownerKey, proxy })),
    ];
    if (dto.ownerKey) votesFor = votesFor.filter((c) => c.ownerKey === dto.ownerKey);
    if (votesFor.length === 0) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'You are not in the electorate frozen when this ballot opened, nor a proxy for an owner in it');
    }
    if (votesFor.length > 1) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'You vote for more than one owner: name one in ownerKey', [
        { field: 'ownerKey', reason: `one of ${votesFor.map((c) => c.ownerKey).join(', ')}` },
      ]);
    }
    const [chosen] = votesFor;
    const content = this.voteContent(ballot, dto);
    if (chosen.elector) {
      return this.record(ballot, chosen.elector, { ...content, channel: VoteChannel.Online, recordedBy: caller.sub, personId: caller.personId });
    }
    return this.recordByProxy(caller, ballot, chosen.proxy!, content);
  }

  /** A paper ballot (in person or in writing), recorded by staff under the same one-vote-per-owner rule. */
  async recordPaperVote(caller: Principal, communityId: string, ballotId: string, dto: PaperVoteDto): Promise<VoteReceipt> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const ballot = await this.loadForVoting(communityId, ballotId, dto);
    const elector = await this.ballots.electorOfUnit(ballot.communityId, ballot._id, dto.unitId);
    if (!elector) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, `Unit ${dto.unitId} has no owner in the electorate of this ballot`);
    }
    const voteId = newId('vote');
    const event = newEvent(
      PropertyEvents.paperVoteRecorded,
      {
        ballotId: String(ballot._id),
        voteId: String(voteId),
        ownerKey: elector.ownerKey,
        unitId: dto.unitId,
        ...(dto.paperNumber && { paperNumber: dto.paperNumber }),
      },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    return this.record(
      ballot,
      elector,
      {
        ...this.voteContent(ballot, dto),
        channel: VoteChannel.Paper,
        recordedBy: caller.sub,
        unitId: dto.unitId,
        ...(dto.paperNumber && { paperNumber: dto.paperNumber }),
      },
      { voteId, event },
    );
  }

  /** Staff record an owner's written authorisation of a proxy for this ballot; one in force per owner. */
  async recordProxy(caller: Principal, communityId: string, ballotId: string, dto: RecordProxyDto): Promise<ProxyView> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const ballot = await this.load(communityId, ballotId);
    const refusal = voteRefusal(ballot, new Date());
    if (refusal === 'not_open' || refusal === 'ended') {
      throw new DomainException(ErrorCode.OUTSIDE_WINDOW, 'A proxy is recorded for an open ballot whose voting period is not over', { reason: refusal });
    }
    const elector = await this.ballots.electorOfUnit(ballot.communityId, ballot._id, dto.unitId);
    if (!elector) throw new DomainException(ErrorCode.NOT_ELIGIBLE, `Unit ${dto.unitId} has no owner in the electorate of this ballot`);
    if (elector.voterPersonIds.includes(dto.proxyPersonId)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The proxy votes for this owner already', [
        { field: 'proxyPersonId', reason: 'must be someone other than the owner' },
      ]);
    }
    if (await this.ballots.findVote(ballot.communityId, ballot._id, elector.ownerKey)) {
      throw new DomainException(ErrorCode.DUPLICATE, 'This owner has already voted on this ballot');
    }
    const _id = newId('ballot-proxy');
    const event = newEvent(
      PropertyEvents.proxyRecorded,
      { ballotId: String(ballot._id), proxyId: String(_id), ownerKey: elector.ownerKey, unitId: dto.unitId, proxyPersonId: dto.proxyPersonId },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    const proxy = await this.ballots.insertProxy({
      _id,
      communityId: ballot.communityId,
      ballotId: ballot._id,
      ownerKey: elector.ownerKey,
      slot: elector.ownerKey,
      unitId: dto.unitId,
      proxyPersonId: dto.proxyPersonId,
      proxyName: dto.proxyName,
      authorisation: dto.authorisation,
      status: ProxyStatus.Active,
      recordedBy: caller.sub,
      recordedAt: new Date(),
      outbox: [event],
    });
    void this.outbox.deliver(BallotProxy.name, proxy._id);
    return toProxyView(proxy);
  }

  /** Revokes an authorisation the proxy has not voted under; of a revocation and the proxy's vote, one wins. */
  async revokeProxy(caller: Principal, communityId: string, ballotId: string, proxyId: string, dto: RevokeProxyDto): Promise<ProxyView> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const ballot = await this.load(communityId, ballotId);
    const proxy = await this.ballots.findProxy({ communityId: ballot.communityId, _id: objectId(proxyId, ErrorCode.NOT_FOUND), ballotId: ballot._id });
    if (!proxy) throw new DomainException(ErrorCode.NOT_FOUND, `No proxy ${proxyId} on this ballot`);
    const set = { revokedBy: caller.sub, revokedAt: new Date(), revokeReason: dto.reason };
    if (proxy.status !== ProxyStatus.Active || !(await this.ballots.moveProxy(proxy, ProxyStatus.Active, ProxyStatus.Revoked, set))) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'Only an authorisation the proxy has not voted under can be revoked', {
        status: proxy.status === ProxyStatus.Active ? ProxyStatus.Used : proxy.status,
      });
    }
    return toProxyView({ ...proxy, ...set, status: ProxyStatus.Revoked });
  }

  async progress(caller: Principal, communityId: string, ballotId: string): Promise<BallotProgress> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const ballot = await this.load(communityId, ballotId);
    if (ballot.status === BallotStatus.Draft || ballot.status === BallotStatus.Opening) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This ballot has not opened yet');
    }
    const [electors, voted] = await Promise.all([
      this.frozenElectorate(ballot),
      this.ballots.votedOwnerKeys(ballot.communityId, ballot._id),
    ]);
    const figures = participation(
      electors.map((e) => ({ ownerKey: e.ownerKey, units: e.units.map((u) => ({ buildingId: u.buildingId, areaHundredths: BigInt(u.areaHundredths) })) })),
      voted,
    );
    return { ballotId, status: ballot.status, ...figures };
  }

  /** Discards a ballot drafted for a topic or an election whose step was lost to another organiser. */
  async discardDraft(communityId: Types.ObjectId, ballotId: string): Promise<void> {
    await this.ballots.deleteDraft(communityId, objectId(ballotId, ErrorCode.NOT_FOUND));
  }

  /**
   * Ends voting, counts, and seals the result with hashes over the electorate, the votes and the result.
   * Of concurrent closers of an open ballot, the one whose conditional Open -> Closing update lands goes on;
   * the others are refused. A ballot found Closing (its closer still at work, or failed mid-way) is finished
   * by whoever closes it: the unique result `_id` keeps the first seal, which every finisher returns.
   */
  async close(caller: Principal, communityId: string, ballotId: string): Promise<BallotResultView> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const ballot = await this.load(communityId, ballotId);
    if (ballot.status !== BallotStatus.Open && ballot.status !== BallotStatus.Closing) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${ballot.status} ballot cannot be closed`);
    }
    if (ballot.status === BallotStatus.Open) {
      const votesCast = await this.ballots.countVotes(ballot.communityId, ballot._id);
      if (!mayClose(ballot, new Date(), votesCast, ballot.electorate!.owners, this.schedule.closeGraceMs)) {
        throw new DomainException(
          ErrorCode.OUTSIDE_WINDOW,
          `Voting runs until ${ballot.closesAt.toISOString()}; it can end earlier only once every owner has voted`,
        );
      }
      if (!(await this.ballots.transition(ballot.communityId, ballot._id, [BallotStatus.Open], BallotStatus.Closing))) {
        throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This ballot was closed by someone else');
      }
    }
    const sealed = await this.seal(ballot, BallotStatus.Closing, 'organiser', caller.sub);
    return toResultView(ballot._id, sealed);
  }

  /**
   * Closes every ballot whose voting period ended (plus the grace for votes on their way) by `now`, in any community.
   * Every replica runs this; each ballot's one conditional close update decides which replica's close event stands.
   * Answers how many ballots this call closed.
   */
  async closeDue(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.schedule.closeGraceMs);
    let closed = 0;
    for (const ballot of await this.ballots.dueBallots(cutoff, 100)) {
      const from = ballot.status === BallotStatus.Open ? BallotStatus.Open : BallotStatus.Closing;
      if (await this.seal(ballot, from, 'schedule', 'property', cutoff).then((s) => s.closedHere)) closed += 1;
    }
    return closed;
  }

  /**
   * Queues the closing-soon event of every open ballot closing within a day, in any community. Every replica runs
   * this; each ballot's one conditional update lets exactly one event in. Answers how many this call queued.
   */
  async announceClosingSoon(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() + CLOSING_SOON_LEAD_MS);
    let queued = 0;
    for (const ballot of await this.ballots.closingSoonBallots(now, cutoff, 100)) {
      const event = newEvent(
        PropertyEvents.ballotClosingSoon,
        { ballotId: String(ballot._id), title: ballot.title, closesAt: ballot.closesAt.toISOString() },
        { communityId: String(ballot.communityId), actor: 'property', correlationId: currentCorrelationId() },
      );
      if (await this.ballots.markClosingSoon(ballot, now, cutoff, event)) {
        queued += 1;
        void this.outbox.deliver(Ballot.name, ballot._id);
      }
    }
    return queued;
  }

  /** Seals the result once (the unique result `_id` keeps the first), then closes the ballot with its event in one update. */
  private async seal(
    ballot: Ballot,
    from: BallotStatus.Open | BallotStatus.Closing,
    closedBy: BallotClosedData['closedBy'],
    actor: string,
    dueBy?: Date,
  ): Promise<BallotResult & { closedHere: boolean }> {
    const [electors, votes] = await Promise.all([
      this.ballots.electorate(ballot.communityId, ballot._id),
      this.ballots.votesOf(ballot.communityId, ballot._id),
    ]);
    const contents = this.recordContents(ballot, electors, votes);
    const sealed = await this.ballots.sealOnce({
      _id: ballot._id,
      communityId: ballot.communityId,
      result: contents.result as Record<string, unknown>,
      ...hashRecord(contents),
      sealedAt: new Date(),
    });
    const event = newEvent(PropertyEvents.ballotClosed, closedSummary(ballot, sealed, closedBy, votes.length), {
      communityId: String(ballot.communityId),
      actor,
      correlationId: currentCorrelationId(),
    });
    const closedHere = await this.ballots.closeSealed(ballot, from, sealed.sealedAt, event, dueBy);
    if (closedHere) void this.outbox.deliver(Ballot.name, ballot._id);
    return { ...sealed, closedHere };
  }

  async result(caller: Principal, communityId: string, ballotId: string): Promise<BallotResultView> {
    assertCommunityAccess(caller, communityId);
    const ballot = await this.load(communityId, ballotId);
    return toResultView(ballot._id, await this.sealed(ballot));
  }

  /** Recomputes every hash and the tally from what is stored now, and compares with the sealed record. */
  async verify(caller: Principal, communityId: string, ballotId: string): Promise<ResultVerification> {
    assertCommunityAccess(caller, communityId);
    const ballot = await this.load(communityId, ballotId);
    const sealed = await this.sealed(ballot);
    const [electors, votes] = await Promise.all([
      this.ballots.electorate(ballot.communityId, ballot._id),
      this.ballots.votesOf(ballot.communityId, ballot._id),
    ]);
    const recomputed = hashRecord({ ...this.recordContents(ballot, electors, votes, false), result: sealed.result });
    let resultMatches: boolean;
    try {
      const fresh = this.recordContents(ballot, electors, votes).result as TallyResultView;
      // Results sealed before votes were counted by channel carry no `channels`; the rest of them must still match.
      const comparable = 'channels' in sealed.result ? fresh : { ...fresh, channels: undefined };
      resultMatches = canonicalJson(comparable) === canonicalJson(sealed.result);
    } catch {
      resultMatches = false;
    }
    const electorateMatches = recomputed.electorateHash === sealed.electorateHash;
    const votesMatch = recomputed.votesHash === sealed.votesHash;
    return {
      ballotId,
      valid: electorateMatches && votesMatch && resultMatches && recomputed.recordHash === sealed.recordHash,
      recordHash: sealed.recordHash,
      recomputedRecordHash: recomputed.recordHash,
      electorateMatches,
      votesMatch,
      resultMatches,
    };
  }

  private recordContents(ballot: Ballot, electors: BallotElector[], votes: Vote[], withTally = true): RecordContents {
    const electorate = electors.map((e) => ({
      ownerKey: e.ownerKey,
      areaHundredths: BigInt(e.areaHundredths),
      voterPersonIds: e.voterPersonIds,
      units: e.units.map((u) => ({ unitId: u.unitId, buildingId: u.buildingId, areaHundredths: BigInt(u.areaHundredths) })),
    }));
    const counted = votes.map((v) => ({
      ownerKey: v.ownerKey,
      option: v.option,
      ...(v.choices && { choices: v.choices.map((c) => ({ candidateId: c.candidateId, choice: c.choice })) }),
      channel: v.channel,
      castAt: v.castAt.toISOString(),
    }));
    const weights = electorate.map((e) => ({ ownerKey: e.ownerKey, areaHundredths: e.areaHundredths, units: e.units.length }));
    const result = !withTally
      ? undefined
      : ballot.candidates
        ? electionTally({
            seats: ballot.seats!,
            candidates: ballot.candidates,
            electorate: weights,
            votes: counted.map((v) => ({ ownerKey: v.ownerKey, choices: v.choices ?? [], channel: v.channel })),
          })
        : tally({
            majority: ballot.majority,
            options: ballot.options,
            electorate: weights,
            votes: counted.map((v) => ({ ownerKey: v.ownerKey, option: v.option!, channel: v.channel })),
          });
    return {
      ballot: {
        id: String(ballot._id),
        communityId: String(ballot.communityId),
        matter: ballot.matter,
        majority: ballot.majority,
        options: ballot.options,
        opensAt: ballot.opensAt.toISOString(),
        closesAt: ballot.closesAt.toISOString(),
      },
      electorate,
      votes: counted,
      result,
    };
  }

  private async record(
    ballot: Ballot,
    elector: BallotElector,
    vote: Pick<Vote, 'option' | 'choices' | 'channel' | 'recordedBy' | 'personId' | 'paperNumber' | 'proxyId' | 'unitId'>,
    paper?: { voteId: Types.ObjectId; event: ReturnType<typeof newEvent> },
  ): Promise<VoteReceipt> {
    const stored = await this.ballots.insertVote({
      _id: paper?.voteId ?? newId('vote'),
      communityId: ballot.communityId,
      ballotId: ballot._id,
      ownerKey: elector.ownerKey,
      ...vote,
      castAt: new Date(),
      outbox: paper ? [paper.event] : [],
    });
    if (paper) void this.outbox.deliver(Vote.name, stored._id);
    return {
      ballotId: String(ballot._id),
      ownerKey: stored.ownerKey,
      ...(stored.option !== undefined && { option: stored.option }),
      ...(stored.choices && { choices: stored.choices }),
      channel: stored.channel,
      ...(stored.proxyId && { proxyId: stored.proxyId }),
      area: formatHundredths(BigInt(elector.areaHundredths)),
      castAt: stored.castAt.toISOString(),
    };
  }

  /**
   * The proxy's vote: the authorisation moves from active to used in one conditional update (a revocation at the same
   * moment makes the other move), then the owner's one vote is inserted. If the owner voted first, the authorisation
   * is put back.
   */
  private async recordByProxy(
    caller: Principal,
    ballot: Ballot,
    proxy: BallotProxy,
    content: Pick<Vote, 'option' | 'choices'>,
  ): Promise<VoteReceipt> {
    // The proxy takes the authorisation into use with one conditional move, so a revocation and the vote cannot both
    // win. A concurrent attempt may have moved it and put it back (the owner's own vote came first): then look again.
    let movedHere = false;
    let status = proxy.status;
    for (let attempt = 0; attempt < 5 && status === ProxyStatus.Active && !movedHere; attempt++) {
      movedHere = await this.ballots.moveProxy(proxy, ProxyStatus.Active, ProxyStatus.Used);
      if (!movedHere) status = (await this.ballots.findProxy({ communityId: proxy.communityId, _id: proxy._id }))?.status ?? ProxyStatus.Revoked;
    }
    if (!movedHere && status !== ProxyStatus.Used) {
      if (status === ProxyStatus.Revoked) throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This authorisation was revoked');
      throw new DomainException(ErrorCode.CONFLICT, 'The authorisation changed while you voted: try again');
    }
    const elector = await this.ballots.electorOf(ballot.communityId, ballot._id, proxy.ownerKey);
    if (!elector) throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'The owner who authorised you is not in the electorate of this ballot');
    try {
      return await this.record(ballot, elector, {
        ...content,
        channel: VoteChannel.Proxy,
        recordedBy: caller.sub,
        personId: caller.personId,
        proxyId: String(proxy._id),
      });
    } catch (error) {
      if (movedHere && error instanceof DomainException && error.code === ErrorCode.DUPLICATE) {
        await this.ballots.moveProxy(proxy, ProxyStatus.Used, ProxyStatus.Active);
      }
      throw error;
    }
  }

  /** The option, or for an election ballot the choice on every candidate, checked against the ballot. */
  private voteContent(ballot: Ballot, dto: { option?: string; choices?: CandidateChoiceDto[] }): Pick<Vote, 'option' | 'choices'> {
    if (!ballot.candidates) {
      if (dto.choices) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'This ballot has options, not candidates', [{ field: 'choices', reason: 'use option' }]);
      return { option: dto.option };
    }
    if (dto.option !== undefined) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'An election ballot is voted candidate by candidate', [{ field: 'option', reason: 'use choices' }]);
    }
    const given = dto.choices ?? [];
    const ids = ballot.candidates.map((c) => c.candidateId);
    const errors = [
      ...given.filter((c) => !ids.includes(c.candidateId)).map((c) => ({ field: 'choices', reason: `${c.candidateId} is not a candidate on this ballot` })),
      ...ids.filter((id) => given.filter((c) => c.candidateId === id).length !== 1).map((id) => ({ field: 'choices', reason: `choose once on candidate ${id}` })),
    ];
    if (errors.length > 0) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Choose for, against or abstain on every candidate, once each', errors);
    return { choices: ids.map((candidateId) => ({ candidateId, choice: given.find((c) => c.candidateId === candidateId)!.choice })) };
  }

  private async loadForVoting(communityId: string, ballotId: string, dto: { option?: string }): Promise<Ballot> {
    const ballot = await this.load(communityId, ballotId);
    const refusal = voteRefusal(ballot, new Date());
    if (refusal) throw new DomainException(ErrorCode.OUTSIDE_WINDOW, REFUSALS[refusal], { reason: refusal });
    if (!ballot.candidates && (dto.option === undefined || !ballot.options.includes(dto.option))) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Not an option of this ballot', [
        { field: 'option', reason: `must be one of: ${ballot.options.join(', ')}` },
      ]);
    }
    return ballot;
  }

  private async load(communityId: string, ballotId: string): Promise<Ballot> {
    const ballot = await this.ballots.findBallot({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(ballotId, ErrorCode.NOT_FOUND),
    });
    if (!ballot) throw new DomainException(ErrorCode.NOT_FOUND, `No ballot ${ballotId} in this community`);
    return ballot;
  }

  private async sealed(ballot: Ballot): Promise<BallotResult> {
    const sealed = await this.ballots.findResult(ballot.communityId, ballot._id);
    if (!sealed) throw new DomainException(ErrorCode.NOT_FOUND, 'This ballot has no result yet: it is still open');
    return sealed;
  }

  private async frozenElectorate(ballot: Ballot): Promise<BallotElector[]> {
    const key = String(ballot._id);
    const cached = this.electorates.get(key);
    if (cached) return cached;
    const electors = await this.ballots.electorate(ballot.communityId, ballot._id);
    if (this.electorates.size >= CACHED_ELECTORATES) this.electorates.delete(this.electorates.keys().next().value!);
    this.electorates.set(key, electors);
    return electors;
  }
}
