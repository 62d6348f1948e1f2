import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, EventEnvelope } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Ownership, OwnershipRevision } from './ownership.schema';

export type OwnershipState = Omit<Ownership, '_id' | 'communityId' | 'unitId' | 'revision' | 'updatedAt'>;

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
   * by a crash between the two writes, so a retry succeeds.
   */
  async commit(
    communityId: Types.ObjectId,
    unitId: Types.ObjectId,
    revision: number,
    state: OwnershipState,
    event: EventEnvelope,
  ): Promise<Ownership> {
    try {
      await this.revisions.create({ communityId, unitId, revision, ...state, outbox: [event] });
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
