import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, Page } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, insertAbsent, isDuplicateKey, paginate } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Ownership } from './ownership.schema';

export type OwnershipState = Omit<Ownership, '_id' | 'communityId' | 'unitId' | 'revision' | 'updatedAt' | 'outbox'>;

/** One unit's next revision in a bulk commit, decided from `current` (absent for a unit without a record). */
export interface PendingCommit {
  unitId: Types.ObjectId;
  revision: number;
  state: OwnershipState;
  event: EventEnvelope;
  current?: Pick<Ownership, '_id' | 'revision'>;
}

@Injectable()
export class OwnershipRepository implements OnModuleInit {
  constructor(@InjectModel(Ownership.name) private readonly ownerships: Model<Ownership>) {}

  async onModuleInit(): Promise<void> {
    await this.ownerships.createIndexes();
  }

  findUnit(communityId: Types.ObjectId, unitId: Types.ObjectId): Promise<Ownership | null> {
    return this.ownerships.findOne({ communityId, unitId }, { outbox: 0 }).lean<Ownership>().exec();
  }

  /**
   * Stores revision `revision` of the unit decided from `current` (null: the unit has no record yet), with its
   * event when given, in one write. False when another change of the unit came first.
   */
  async commit(
    communityId: Types.ObjectId,
    unitId: Types.ObjectId,
    current: Pick<Ownership, '_id' | 'revision'> | null | undefined,
    revision: number,
    state: OwnershipState,
    event?: EventEnvelope,
  ): Promise<{ committed: boolean; id?: Types.ObjectId }> {
    if (!current) {
      const _id = new Types.ObjectId();
      try {
        await this.ownerships.create({ _id, communityId, unitId, ...state, revision, outbox: event ? [event] : [] });
        return { committed: true, id: _id };
      } catch (error) {
        if (isDuplicateKey(error)) return { committed: false };
        throw error;
      }
    }
    const result = await this.ownerships
      .updateOne(
        { _id: current._id, revision: current.revision },
        { $set: { ...state, revision }, ...(event && pushEvents(event)) },
      )
      .exec();
    return { committed: result.modifiedCount === 1, id: current._id };
  }

  /** The current record of every unit of a community, by unit id: one read for a bulk import. */
  async currentOf(communityId: Types.ObjectId): Promise<Map<string, Ownership>> {
    const found = new Map<string, Ownership>();
    for await (const o of this.ownerships.find({ communityId }, { outbox: 0 }).lean<Ownership>().cursor({ batchSize: 2000 })) {
      found.set(String(o.unitId), o);
    }
    return found;
  }

  /**
   * `commit` for many units at once, without events (the caller publishes them): units without a record in one
   * insert, the others each by an update guarded by the revision they were decided from. Units another writer
   * changed meanwhile come back as `conflicts`, for the caller to decide again.
   */
  async commitMany(
    communityId: Types.ObjectId,
    commits: PendingCommit[],
  ): Promise<{ committed: PendingCommit[]; conflicts: PendingCommit[] }> {
    const committed: PendingCommit[] = [];
    const conflicts: PendingCommit[] = [];
    const fresh = commits.filter((c) => !c.current);
    const now = new Date();
    const refused = await insertAbsent(
      this.ownerships.collection as unknown as Collection,
      fresh.map((c) => ({ communityId, unitId: c.unitId, ...c.state, revision: c.revision, outbox: [], createdAt: now, updatedAt: now })),
    );
    fresh.forEach((c, i) => (refused.has(i) ? conflicts : committed).push(c));
    for (const c of commits.filter((c) => c.current)) {
      const { committed: done } = await this.commit(communityId, c.unitId, c.current, c.revision, c.state);
      (done ? committed : conflicts).push(c);
    }
    return { committed, conflicts };
  }

  list(communityId: Types.ObjectId, buildingId: Types.ObjectId | undefined, cursor: string | undefined, limit: number): Promise<Page<Ownership>> {
    const filter: CommunityFilter<Ownership> = { communityId, ...(buildingId && { buildingId }) };
    return paginate(this.ownerships, filter, { cursor, limit }, (o) => o, { outbox: 0 });
  }

  /** Headcount key and area of every unit, streamed: owners are counted once per headcount key in the service. */
  countedUnits(communityId: Types.ObjectId): AsyncIterable<Pick<Ownership, 'headcountKey' | 'areaHundredths'>> {
    return this.ownerships
      .find({ communityId }, { headcountKey: 1, areaHundredths: 1, _id: 0 })
      .lean<Pick<Ownership, 'headcountKey' | 'areaHundredths'>>()
      .cursor({ batchSize: 1000 });
  }
}
