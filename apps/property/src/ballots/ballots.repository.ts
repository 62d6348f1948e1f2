import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { BallotStatus, DomainException, ErrorCode, EventEnvelope, Page, ProxyStatus } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, PageRequest, findOneById, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Ballot, BallotElector, BallotProxy, BallotResult, ElectorateTotals, Vote } from './ballot.schema';

/** The slot of a revoked authorisation: unique, and never an owner's slot. */
const revokedSlot = (proxyId: Types.ObjectId) => `revoked:${String(proxyId)}`;

@Injectable()
export class BallotsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Ballot.name) private readonly ballots: Model<Ballot>,
    @InjectModel(BallotElector.name) private readonly electors: Model<BallotElector>,
    @InjectModel(Vote.name) private readonly votes: Model<Vote>,
    @InjectModel(BallotResult.name) private readonly results: Model<BallotResult>,
    @InjectModel(BallotProxy.name) private readonly proxies: Model<BallotProxy>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.ballots.createIndexes(),
      this.electors.createIndexes(),
      this.votes.createIndexes(),
      this.results.createIndexes(),
      this.proxies.createIndexes(),
    ]);
  }

  /** Inserts the ballot, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertBallot(ballot: Ballot): Promise<Ballot> {
    return (await insertOnce(this.ballots, ballot)).doc;
  }

  findBallot(filter: CommunityFilter<Ballot>): Promise<Ballot | null> {
    return findOneById<Ballot>(this.ballots, filter, { outbox: 0 });
  }

  listBallots<V>(communityId: Types.ObjectId, page: PageRequest, map: (doc: Ballot) => V): Promise<Page<V>> {
    return paginate(this.ballots, { communityId }, page, map, { outbox: 0 });
  }

  /** Open (or half-closed) ballots of every community whose voting period ended by `cutoff`. */
  dueBallots(cutoff: Date, limit: number): Promise<Ballot[]> {
    return this.ballots
      .find({ status: { $in: [BallotStatus.Open, BallotStatus.Closing] }, closesAt: { $lte: cutoff } }, { outbox: 0 })
      .limit(limit)
      .lean<Ballot[]>()
      .exec();
  }

  /** Open ballots of every community closing after `now` and by `cutoff` whose owners were not yet told so. */
  closingSoonBallots(now: Date, cutoff: Date, limit: number): Promise<Pick<Ballot, '_id' | 'communityId' | 'title' | 'closesAt'>[]> {
    return this.ballots
      .find(
        { status: BallotStatus.Open, closingSoonAt: { $exists: false }, closesAt: { $gt: now, $lte: cutoff } },
        { communityId: 1, title: 1, closesAt: 1 },
      )
      .limit(limit)
      .lean<Pick<Ballot, '_id' | 'communityId' | 'title' | 'closesAt'>[]>()
      .exec();
  }

  /**
   * Marks the ballot as announced closing soon, with its event, in one update that lands only while it is open,
   * unannounced and closing by `cutoff`: of the sweeps of every replica, exactly one does.
   */
  async markClosingSoon(ballot: Pick<Ballot, '_id' | 'communityId'>, at: Date, cutoff: Date, event: EventEnvelope): Promise<boolean> {
    const result = await this.ballots.updateOne(
      {
        _id: ballot._id,
        communityId: ballot.communityId,
        status: BallotStatus.Open,
        closingSoonAt: { $exists: false },
        closesAt: { $lte: cutoff },
      },
      { $set: { closingSoonAt: at }, ...pushEvents(event) },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Closes the ballot from the status it was read in, with its close event, in one conditional update: of all the
   * closers (the sweep of every replica, an organiser), exactly one lands and its event is the one published. An
   * open ballot closes this way only once its period is over (`dueBy`), unless an organiser closed it early.
   */
  async closeSealed(
    ballot: Pick<Ballot, '_id' | 'communityId'>,
    from: BallotStatus.Open | BallotStatus.Closing,
    closedAt: Date,
    event: EventEnvelope,
    dueBy?: Date,
  ): Promise<boolean> {
    const result = await this.ballots.updateOne(
      { _id: ballot._id, communityId: ballot.communityId, status: from, ...(dueBy && { closesAt: { $lte: dueBy } }) },
      { $set: { status: BallotStatus.Closed, closedAt }, ...pushEvents(event) },
    );
    return result.modifiedCount === 1;
  }

  /** Removes a ballot only while it is still a draft (one drafted for a topic or an election that lost its race). */
  async deleteDraft(communityId: Types.ObjectId, ballotId: Types.ObjectId): Promise<void> {
    await this.ballots.deleteOne({ _id: ballotId, communityId, status: BallotStatus.Draft });
  }

  /** Moves a ballot from one of `from` to `to` only if it is still there; false when someone else moved it first. */
  async transition(
    communityId: Types.ObjectId,
    ballotId: Types.ObjectId,
    from: BallotStatus[],
    to: BallotStatus,
    set: Partial<Pick<Ballot, 'openedAt' | 'closedAt'>> & { electorate?: ElectorateTotals } = {},
    event?: EventEnvelope,
  ): Promise<boolean> {
    const result = await this.ballots.updateOne(
      { communityId, _id: ballotId, status: { $in: from } },
      { $set: { status: to, ...set }, ...(event && pushEvents(event)) },
    );
    return result.modifiedCount === 1;
  }

  /** Takes over an opening whose opener stopped (it started at `seen`): of several takers, one lands. */
  async takeOverOpening(communityId: Types.ObjectId, ballotId: Types.ObjectId, seen: Date, openedAt: Date): Promise<boolean> {
    const result = await this.ballots.updateOne(
      { communityId, _id: ballotId, status: BallotStatus.Opening, openedAt: seen },
      { $set: { openedAt } },
    );
    return result.modifiedCount === 1;
  }

  async replaceElectorate(
    communityId: Types.ObjectId,
    ballotId: Types.ObjectId,
    electors: BallotElector[],
  ): Promise<void> {
    await this.electors.deleteMany({ communityId, ballotId });
    for (let i = 0; i < electors.length; i += 1000) {
      await this.electors.insertMany(electors.slice(i, i + 1000), { ordered: false, lean: true });
    }
  }

  electorate(communityId: Types.ObjectId, ballotId: Types.ObjectId): Promise<BallotElector[]> {
    return this.electors.find({ communityId, ballotId }, { _id: 0 }).lean<BallotElector[]>().exec();
  }

  electorsVotedBy(
    communityId: Types.ObjectId,
    ballotId: Types.ObjectId,
    personId: string,
  ): Promise<BallotElector[]> {
    return this.electors
      .find({ communityId, ballotId, voterPersonIds: personId })
      .lean<BallotElector[]>()
      .exec();
  }

  electorOf(communityId: Types.ObjectId, ballotId: Types.ObjectId, ownerKey: string): Promise<BallotElector | null> {
    return this.electors.findOne({ communityId, ballotId, ownerKey }).lean<BallotElector>().exec();
  }

  electorOfUnit(
    communityId: Types.ObjectId,
    ballotId: Types.ObjectId,
    unitId: string,
  ): Promise<BallotElector | null> {
    return this.electors
      .findOne({ communityId, ballotId, 'units.unitId': unitId })
      .lean<BallotElector>()
      .exec();
  }

  /**
   * The unique key (ballot, owner) lets exactly one of two concurrent votes of one owner in; the same vote retried
   * (same `_id`) answers the vote stored first.
   */
  async insertVote(vote: Vote): Promise<Vote> {
    try {
      return (await insertOnce(this.votes, vote)).doc;
    } catch (error) {
      if (isDuplicateKey(error))
        throw new DomainException(ErrorCode.DUPLICATE, 'This owner has already voted on this ballot');
      throw error;
    }
  }

  votesOf(communityId: Types.ObjectId, ballotId: Types.ObjectId): Promise<Vote[]> {
    return this.votes.find({ communityId, ballotId }, { outbox: 0 }).lean<Vote[]>().exec();
  }

  findVote(communityId: Types.ObjectId, ballotId: Types.ObjectId, ownerKey: string): Promise<Vote | null> {
    return this.votes.findOne({ communityId, ballotId, ownerKey }, { outbox: 0 }).lean<Vote>().exec();
  }

  /** Records the authorisation; an owner with one in force already is refused (the unique slot decides). */
  async insertProxy(proxy: BallotProxy): Promise<BallotProxy> {
    try {
      return (await insertOnce(this.proxies, proxy)).doc;
    } catch (error) {
      if (isDuplicateKey(error))
        throw new DomainException(ErrorCode.DUPLICATE, 'This owner already has a proxy for this ballot; revoke it first');
      throw error;
    }
  }

  findProxy(filter: CommunityFilter<BallotProxy>): Promise<BallotProxy | null> {
    return findOneById<BallotProxy>(this.proxies, filter, { outbox: 0 });
  }

  /** Authorisations in force that name this person as proxy on the ballot. */
  proxiesHeldBy(communityId: Types.ObjectId, ballotId: Types.ObjectId, proxyPersonId: string): Promise<BallotProxy[]> {
    return this.proxies
      .find({ communityId, ballotId, proxyPersonId, status: { $in: [ProxyStatus.Active, ProxyStatus.Used] } }, { outbox: 0 })
      .lean<BallotProxy[]>()
      .exec();
  }

  /** Active -> used, or revoked (freeing the owner's slot): one conditional update decides between vote and revocation. */
  async moveProxy(
    proxy: Pick<BallotProxy, '_id' | 'communityId'>,
    from: ProxyStatus,
    to: ProxyStatus,
    set: Partial<Pick<BallotProxy, 'revokedBy' | 'revokedAt' | 'revokeReason'>> = {},
  ): Promise<boolean> {
    const result = await this.proxies.updateOne(
      { _id: proxy._id, communityId: proxy.communityId, status: from },
      { $set: { status: to, ...set, ...(to === ProxyStatus.Revoked && { slot: revokedSlot(proxy._id) }) } },
    );
    return result.modifiedCount === 1;
  }

  async votedOwnerKeys(communityId: Types.ObjectId, ballotId: Types.ObjectId): Promise<Set<string>> {
    const rows = await this.votes
      .find({ communityId, ballotId }, { _id: 0, ownerKey: 1 })
      .lean<{ ownerKey: string }[]>()
      .exec();
    return new Set(rows.map((r) => r.ownerKey));
  }

  countVotes(communityId: Types.ObjectId, ballotId: Types.ObjectId): Promise<number> {
    return this.votes.countDocuments({ communityId, ballotId }).exec();
  }

  /** Writes the sealed result once (the unique `_id` decides); a second seal of the same ballot returns the first. */
  async sealOnce(result: BallotResult): Promise<BallotResult> {
    try {
      return (await this.results.create(result)).toObject();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await this.findResult(result.communityId, result._id))!;
    }
  }

  findResult(communityId: Types.ObjectId, ballotId: Types.ObjectId): Promise<BallotResult | null> {
    return findOneById<BallotResult>(this.results, { communityId, _id: ballotId });
  }
}
