import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode } from '@cg/contracts';
import { CommunityFilter, escapeRegex, findOneById, insertAbsent, isDuplicateKey } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Resident } from './resident.schema';

/** The first field of the unique index that refused an insert, from the key pattern or the server's message. */
function refusedIndexOf(error: unknown): string | undefined {
  const { keyPattern, message } = error as { keyPattern?: Record<string, unknown>; message?: string };
  if (keyPattern) return Object.keys(keyPattern)[0];
  return /index: (\w+?)_-?1/.exec(message ?? '')?.[1];
}

@Injectable()
export class ResidentsRepository implements OnModuleInit {
  constructor(@InjectModel(Resident.name) private readonly residents: Model<Resident>) {}

  async onModuleInit(): Promise<void> {
    await this.residents.createIndexes();
  }

  /** The resident and the events it causes are written in one insert. */
  async insert(resident: Resident): Promise<Resident> {
    try {
      return (await this.residents.create(resident)).toObject();
    } catch (error) {
      if (isDuplicateKey(error) && refusedIndexOf(error) === 'idNumberInCommunity') {
        throw new DomainException(ErrorCode.ID_NUMBER_TAKEN, 'This ID number is already registered in this community', [
          { field: 'idNumber', reason: 'already registered for another resident of this community' },
        ]);
      }
      if (isDuplicateKey(error)) {
        throw new DomainException(
          ErrorCode.ALREADY_REGISTERED,
          'This phone number is already registered in this unit',
        );
      }
      throw error;
    }
  }

  findOne(filter: CommunityFilter<Resident>): Promise<Resident | null> {
    return findOneById<Resident>(this.residents, filter, { outbox: 0 });
  }

  /**
   * Inserts many residents; one already stored (same _id, or same unit and phone) is
   * skipped. Returns the residents that were new.
   */
  async insertNew(residents: Resident[]): Promise<Resident[]> {
    if (residents.length === 0) return [];
    const now = new Date();
    const docs = residents.map((r) => ({ ...r, createdAt: now, updatedAt: now }));
    const refused = await insertAbsent(this.residents.collection as unknown as Collection, docs);
    return residents.filter((_, i) => !refused.has(i));
  }

  /** Person id, unit, phone and ID number of every resident of a community, for checking an import. */
  async *identities(
    communityId: Types.ObjectId,
  ): AsyncIterable<Pick<Resident, '_id' | 'unitId' | 'phone' | 'idNumber'>> {
    yield* this.residents
      .find({ communityId }, { _id: 1, unitId: 1, phone: 1, idNumber: 1 })
      .lean<Pick<Resident, '_id' | 'unitId' | 'phone' | 'idNumber'>>()
      .cursor({ batchSize: 2000 });
  }

  findMany(communityId: Types.ObjectId, personIds: Types.ObjectId[]): Promise<Resident[]> {
    if (personIds.length === 0) return Promise.resolve([]);
    return this.residents
      .find({ communityId, _id: { $in: personIds } }, { outbox: 0 })
      .lean<Resident[]>()
      .exec();
  }

  /**
   * A page of residents in _id order after `after`: by name prefix, and when `place` is given, registered into that
   * unit or building or among `alsoIds` (people who moved there later). Callers drop those who moved away.
   */
  search(
    communityId: Types.ObjectId,
    query: {
      namePrefix?: string;
      place?: { unitId: Types.ObjectId } | { buildingId: Types.ObjectId };
      alsoIds?: Types.ObjectId[];
    },
    after: Types.ObjectId | undefined,
    limit: number,
  ): Promise<Resident[]> {
    const filter: CommunityFilter<Resident> = {
      communityId,
      ...(after && { _id: { $gt: after } }),
      ...(query.namePrefix && { name: { $regex: `^${escapeRegex(query.namePrefix)}`, $options: 'i' } }),
      ...(query.place && { $or: [query.place, { _id: { $in: query.alsoIds ?? [] } }] }),
    };
    return this.residents.find(filter, { outbox: 0 }).sort({ _id: 1 }).limit(limit).lean<Resident[]>().exec();
  }
}
