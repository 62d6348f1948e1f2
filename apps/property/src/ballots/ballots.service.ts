import { Injectable } from '@nestjs/common';
import {
  BallotPage,
  BallotProgress,
  BallotResultView,
  BallotStatus,
  BallotView,
  CastVoteDto,
  CreateBallotDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  PageQueryDto,
  PaperVoteDto,
  Principal,
  ResultVerification,
  Role,
  TallyResultView,
  VoteChannel,
  VoteReceipt,
  majorityOf,
} from '@cg/contracts';
import { assertCommunityAccess, assertRole } from '@cg/auth';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { formatHundredths } from '../owners/area';
import { OwnerRegisterRepository } from '../owners/owner-register.repository';
import { canonicalJson, hashRecord, RecordContents } from './ballot-record';
import { Ballot, BallotElector, BallotResult, Vote } from './ballot.schema';
import { BallotsRepository } from './ballots.repository';
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
  ) {}

  async create(caller: Principal, communityId: string, dto: CreateBallotDto): Promise<BallotView> {
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
    await this.ballots.transition(ballot.communityId, ballot._id, [BallotStatus.Opening], BallotStatus.Open, { electorate });
    return toBallotView({ ...ballot, status: BallotStatus.Open, openedAt, electorate });
  }

  /** An owner's own vote online. A person who votes for several owners names which one. */
  async castVote(caller: Principal, communityId: string, ballotId: string, dto: CastVoteDto): Promise<VoteReceipt> {
    assertCommunityAccess(caller, communityId);
    const ballot = await this.loadForVoting(communityId, ballotId, dto.option);
    if (!caller.personId) throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'Only owners of record may vote');
    let electors = await this.ballots.electorsVotedBy(ballot.communityId, ballot._id, caller.personId);
    if (dto.ownerKey) electors = electors.filter((e) => e.ownerKey === dto.ownerKey);
    if (electors.length === 0) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'You are not in the electorate frozen when this ballot opened');
    }
    if (electors.length > 1) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'You vote for more than one owner: name one in ownerKey', [
        { field: 'ownerKey', reason: `one of ${electors.map((e) => e.ownerKey).join(', ')}` },
      ]);
    }
    return this.record(ballot, electors[0], { option: dto.option, channel: VoteChannel.Online, recordedBy: caller.sub, personId: caller.personId });
  }

  /** A paper ballot (in person or in writing), recorded by staff under the same one-vote-per-owner rule. */
  async recordPaperVote(caller: Principal, communityId: string, ballotId: string, dto: PaperVoteDto): Promise<VoteReceipt> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const ballot = await this.loadForVoting(communityId, ballotId, dto.option);
    const elector = await this.ballots.electorOfUnit(ballot.communityId, ballot._id, dto.unitId);
    if (!elector) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, `Unit ${dto.unitId} has no owner in the electorate of this ballot`);
    }
    return this.record(ballot, elector, {
      option: dto.option,
      channel: VoteChannel.Paper,
      recordedBy: caller.sub,
      ...(dto.paperNumber && { paperNumber: dto.paperNumber }),
    });
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
      if (!mayClose(ballot, new Date(), votesCast, ballot.electorate!.owners)) {
        throw new DomainException(
          ErrorCode.OUTSIDE_WINDOW,
          `Voting runs until ${ballot.closesAt.toISOString()}; it can end earlier only once every owner has voted`,
        );
      }
      if (!(await this.ballots.transition(ballot.communityId, ballot._id, [BallotStatus.Open], BallotStatus.Closing))) {
        throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This ballot was closed by someone else');
      }
    }
    const [electors, votes] = await Promise.all([
      this.ballots.electorate(ballot.communityId, ballot._id),
      this.ballots.votesOf(ballot.communityId, ballot._id),
    ]);
    const contents = this.recordContents(ballot, electors, votes);
    const hashes = hashRecord(contents);
    const sealed = await this.ballots.sealOnce({
      _id: ballot._id,
      communityId: ballot.communityId,
      result: contents.result as Record<string, unknown>,
      ...hashes,
      sealedAt: new Date(),
    });
    await this.ballots.transition(ballot.communityId, ballot._id, [BallotStatus.Closing], BallotStatus.Closed, { closedAt: sealed.sealedAt });
    return toResultView(ballot._id, sealed);
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
      resultMatches = canonicalJson(this.recordContents(ballot, electors, votes).result) === canonicalJson(sealed.result);
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
    const counted = votes.map((v) => ({ ownerKey: v.ownerKey, option: v.option, channel: v.channel, castAt: v.castAt.toISOString() }));
    const result = withTally
      ? tally({
          majority: ballot.majority,
          options: ballot.options,
          electorate: electorate.map((e) => ({ ownerKey: e.ownerKey, areaHundredths: e.areaHundredths, units: e.units.length })),
          votes: counted,
        })
      : undefined;
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
    vote: Pick<Vote, 'option' | 'channel' | 'recordedBy' | 'personId' | 'paperNumber'>,
  ): Promise<VoteReceipt> {
    const stored = await this.ballots.insertVote({
      _id: newId('vote'),
      communityId: ballot.communityId,
      ballotId: ballot._id,
      ownerKey: elector.ownerKey,
      ...vote,
      castAt: new Date(),
    });
    return {
      ballotId: String(ballot._id),
      ownerKey: stored.ownerKey,
      option: stored.option,
      channel: stored.channel,
      area: formatHundredths(BigInt(elector.areaHundredths)),
      castAt: stored.castAt.toISOString(),
    };
  }

  private async loadForVoting(communityId: string, ballotId: string, option: string): Promise<Ballot> {
    const ballot = await this.load(communityId, ballotId);
    const refusal = voteRefusal(ballot, new Date());
    if (refusal) throw new DomainException(ErrorCode.OUTSIDE_WINDOW, REFUSALS[refusal], { reason: refusal });
    if (!ballot.options.includes(option)) {
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
