import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ElectionStatus, ErrorCode } from '@cg/contracts';
import { CommunityFilter, findOneById, insertOnce, isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { RegisteredUnit } from '../owners/registered-unit.schema';
import { Candidate, Election, PartyRightRecord } from './election.schema';

@Injectable()
export class ElectionsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Election.name) private readonly elections: Model<Election>,
    @InjectModel(Candidate.name) private readonly candidates: Model<Candidate>,
    @InjectModel(PartyRightRecord.name) private readonly rights: Model<PartyRightRecord>,
    @InjectModel(RegisteredUnit.name) private readonly register: Model<RegisteredUnit>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.elections.createIndexes(),
      this.candidates.createIndexes(),
      this.rights.createIndexes(),
    ]);
  }

  /** Inserts the election, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertElection(election: Election): Promise<Election> {
    return (await insertOnce(this.elections, election)).doc;
  }

  findElection(filter: CommunityFilter<Election>): Promise<Election | null> {
    return findOneById<Election>(this.elections, filter);
  }

  /**
   * Moves the election on from the status, version and nominations it was read at, in one update: false when
   * another step or a nomination came first.
   */
  async step(
    election: Pick<Election, '_id' | 'communityId' | 'status' | 'version' | 'nominations'>,
    set: Partial<Election>,
  ): Promise<boolean> {
    const result = await this.elections.updateOne(
      {
        _id: election._id,
        communityId: election.communityId,
        status: election.status,
        version: election.version,
        // An election stored before nominations were counted has no count yet.
        nominations: election.nominations ?? { $exists: false },
      },
      { $set: set, $inc: { version: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** Counts candidates just written while nominations are still open: false when they closed meanwhile. */
  async countNominations(election: Pick<Election, '_id' | 'communityId'>, count: number): Promise<boolean> {
    const result = await this.elections.updateOne(
      { _id: election._id, communityId: election.communityId, status: ElectionStatus.Nominating },
      { $inc: { nominations: count } },
    );
    return result.modifiedCount === 1;
  }

  /** Removes candidates written after nominations closed. */
  async deleteCandidates(communityId: Types.ObjectId, candidateIds: Types.ObjectId[]): Promise<void> {
    await this.candidates.deleteMany({ communityId, _id: { $in: candidateIds } });
  }

  /**
   * Inserts the candidate; `created` is false when a first attempt of the same write stored it under its `_id`
   * already, which is answered. Another candidacy of the same person is refused.
   */
  async insertCandidate(candidate: Candidate): Promise<{ doc: Candidate; created: boolean }> {
    try {
      return await insertOnce(this.candidates, candidate);
    } catch (error) {
      if (isDuplicateKey(error))
        throw new DomainException(
          ErrorCode.DUPLICATE,
          `${candidate.name} is already a candidate in this election`,
        );
      throw error;
    }
  }

  candidatesOf(communityId: Types.ObjectId, electionId: Types.ObjectId): Promise<Candidate[]> {
    return this.candidates.find({ communityId, electionId }).sort({ _id: 1 }).lean<Candidate[]>().exec();
  }

  /** False when the record's `_id` is taken (a candidate already reviewed). */
  async insertRight(record: PartyRightRecord): Promise<boolean> {
    try {
      await this.rights.create(record);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  rightsOf(communityId: Types.ObjectId, electionId: Types.ObjectId): Promise<PartyRightRecord[]> {
    return this.rights
      .find({ communityId, electionId })
      .sort({ at: 1, _id: 1 })
      .lean<PartyRightRecord[]>()
      .exec();
  }

  /** Units on the owner register this person owns or votes for. */
  unitsOwnedBy(communityId: Types.ObjectId, personId: string): Promise<number> {
    return this.register
      .countDocuments({ communityId, $or: [{ ownerPersonIds: personId }, { voterPersonId: personId }] })
      .exec();
  }
}
