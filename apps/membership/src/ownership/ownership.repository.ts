import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, EventEnvelope } from '@cg/contracts';
import { CommunityFilter, insertAbsent, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Ownership, OwnershipRevision } from './ownership.schema';

export type OwnershipState = Omit<Ownership, '_id' | 'communityId' | 'unitId' | 'revision' | 'updatedAt'>;

/** One unit's next revision in a bulk commit; `currentId` is the _id of its current record, if it has one. */
export interface PendingCommit {
  unitId: Types.ObjectId;
  revision: number;
  state: OwnershipState;
  event: EventEnvelope;
  currentId?: Types.ObjectId;
}

const CONCURRENT_CHANGE = 'The ownership of this unit changed at the same time; reload and try again';

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

@Injectable()
export class OwnershipRepository implements OnModuleInit {
  constructor(
    @InjectModel(Ownership.name) private readonly ownerships: Model<Ownership>,
    @InjectModel(OwnershipRevision.name) private readonly revisions: Model<OwnershipRevision>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.ownerships.createIndexes(), this.revisions.createIndexes()]);
  }

  findUnit(communityId: Types.ObjectId, unitId: Types.ObjectId): Promise<Ownership | null> {
    return this.ownerships.findOne({ communityId, unitId }).lean<Ownership>().exec();
  }

  /**
   * Commits revision `revision` of a unit with its event, then brings the current record up to it.
   * The loser of a race for the same revision gets a conflict; it also repairs a current record left behind
   * by a crash between the two writes, so a retry succeeds. `revisionId` is the _id the revision (which carries
   * the event in its outbox) is stored under, for the caller to have the relay publish it by id.
   */
  async commit(
    communityId: Types.ObjectId,
    unitId: Types.ObjectId,
    revision: number,
    state: OwnershipState,
    event: EventEnvelope,
    revisionId: Types.ObjectId = new Types.ObjectId(),
  ): Promise<Ownership> {
    try {
      await this.revisions.create({
        _id: revisionId,
        communityId,
        unitId,
        revision,
        ...state,
        outbox: [event],
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.repair(communityId, unitId);
      throw new DomainException(ErrorCode.CONFLICT, CONCURRENT_CHANGE);
    }
    await this.advance(communityId, unitId, revision, state);
    const current = await this.findUnit(communityId, unitId);
    if (!current) throw new DomainException(ErrorCode.CONFLICT, CONCURRENT_CHANGE);
    return current;
  }

  /** The current record of every unit of a community, by unit id: one read for a bulk import. */
  async currentOf(communityId: Types.ObjectId): Promise<Map<string, Ownership>> {
    const found = new Map<string, Ownership>();
    for await (const o of this.ownerships
      .find({ communityId })
      .lean<Ownership>()
      .cursor({ batchSize: 2000 })) {
      found.set(String(o.unitId), o);
    }
    return found;
  }

  /**
   * `commit` for many units at once: the revisions in one insert (their events are the caller's to publish), then
   * each current record moved forward by _id (or inserted). A unit whose revision someone else took is repaired and returned among
   * `conflicts`, for the caller to retry on its own.
   */
  async commitMany(
    communityId: Types.ObjectId,
    commits: PendingCommit[],
  ): Promise<{ committed: (PendingCommit & { revisionId: Types.ObjectId })[]; conflicts: PendingCommit[] }> {
    if (commits.length === 0) return { committed: [], conflicts: [] };
    const revisionIds = commits.map(() => new Types.ObjectId());
    const now = new Date();
    const taken = await insertAbsent(
      this.revisionCollection,
      commits.map((c, i) => ({
        _id: revisionIds[i],
        communityId,
        unitId: c.unitId,
        revision: c.revision,
        ...c.state,
        outbox: [],
        createdAt: now,
      })),
    );
    const conflicts = commits.filter((_, i) => taken.has(i));
    const committed = commits
      .map((c, i) => ({ ...c, revisionId: revisionIds[i] }))
      .filter((_, i) => !taken.has(i));
    const fresh = committed.filter((c) => !c.currentId);
    for (const c of committed) {
      if (c.currentId) {
        await this.ownerships
          .updateOne(
            { _id: c.currentId, revision: { $lt: c.revision } },
            { $set: { ...c.state, revision: c.revision } },
          )
          .exec();
      }
    }
    if (fresh.length > 0) {
      const refused = await insertAbsent(
        this.ownerships.collection,
        fresh.map((c) => ({
          communityId,
          unitId: c.unitId,
          ...c.state,
          revision: c.revision,
          createdAt: now,
          updatedAt: now,
        })),
      );
      // Someone created these records meanwhile: move them forward the careful way.
      for (const i of refused)
        await this.advance(communityId, fresh[i].unitId, fresh[i].revision, fresh[i].state);
    }
    for (const c of conflicts) await this.repair(communityId, c.unitId);
    return { committed, conflicts };
  }

  /** Moves the current record forward to `revision`; never back. */
  private async advance(
    communityId: Types.ObjectId,
    unitId: Types.ObjectId,
    revision: number,
    state: OwnershipState,
  ) {
    try {
      await this.ownerships
        .updateOne(
          { communityId, unitId, revision: { $lt: revision } },
          { $set: { ...state, revision } },
          { upsert: true },
        )
        .exec();
    } catch (error) {
      // The record exists at this revision or a later one already.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  private async repair(communityId: Types.ObjectId, unitId: Types.ObjectId): Promise<void> {
    const latest = await this.revisions
      .findOne({ communityId, unitId }, { outbox: 0, _id: 0, createdAt: 0, communityId: 0, unitId: 0 })
      .sort({ revision: -1 })
      .lean<Omit<OwnershipRevision, 'communityId' | 'unitId' | 'outbox'>>()
      .exec();
    if (!latest) return;
    const { revision, ...state } = latest;
    await this.advance(communityId, unitId, revision, state);
  }

  list(
    communityId: Types.ObjectId,
    buildingId: Types.ObjectId | undefined,
    cursor: string | undefined,
    limit: number,
  ) {
    const filter: CommunityFilter<Ownership> = {
      communityId,
      ...(buildingId && { buildingId }),
      ...pageFilter(cursor),
    };
    return this.ownerships
      .find(filter)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<Ownership[]>()
      .exec();
  }

  /**
   * Headcount key and area of every unit, streamed. FerretDB v1 gets only one field `$sum` per `$group` right,
   * and a community has at most some tens of thousands of units, so the counting happens in the service.
   */
  countedUnits(
    communityId: Types.ObjectId,
  ): AsyncIterable<Pick<Ownership, 'headcountKey' | 'areaHundredths'>> {
    return this.ownerships
      .find({ communityId }, { headcountKey: 1, areaHundredths: 1, _id: 0 })
      .lean<Pick<Ownership, 'headcountKey' | 'areaHundredths'>>()
      .cursor({ batchSize: 1000 });
  }

  /** The raw revisions collection, for the outbox relay. */
  get revisionCollection(): Collection {
    return this.revisions.collection as unknown as Collection;
  }
}
