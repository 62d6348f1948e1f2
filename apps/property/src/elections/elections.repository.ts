import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode } from '@cg/contracts';
import { CommunityFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { RegisteredUnit } from '../owners/registered-unit.schema';
import { ApplyStep } from '../step-claims/step-claims.repository';
import { Candidate, Election, PartyRightRecord } from './election.schema';

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

@Injectable()
export class ElectionsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Election.name) private readonly elections: Model<Election>,
    @InjectModel(Candidate.name) private readonly candidates: Model<Candidate>,
    @InjectModel(PartyRightRecord.name) private readonly rights: Model<PartyRightRecord>,
    @InjectModel(RegisteredUnit.name) private readonly register: Model<RegisteredUnit>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.elections.createIndexes(), this.candidates.createIndexes(), this.rights.createIndexes()]);
  }

  async insertElection(election: Election): Promise<Election> {
    return (await this.elections.create(election)).toObject();
  }

  findElection(filter: CommunityFilter<Election>): Promise<Election | null> {
    return this.elections.findOne(filter).lean<Election>().exec();
  }

  async applyStep(step: Parameters<ApplyStep>[0]): Promise<boolean> {
    const result = await this.elections.updateOne(
      { _id: step.documentId, communityId: step.communityId, version: step.version },
      { $set: { ...step.set, version: step.version + 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** Records the ballot of an election whose status already moved to balloting. */
  async setBallot(election: Pick<Election, '_id' | 'communityId'>, ballotId: string): Promise<void> {
    await this.elections.updateOne({ _id: election._id, communityId: election.communityId }, { $set: { ballotId } });
  }

  async insertCandidate(candidate: Candidate): Promise<Candidate> {
    try {
      return (await this.candidates.create(candidate)).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainException(ErrorCode.DUPLICATE, `${candidate.name} is already a candidate in this election`);
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
    return this.rights.find({ communityId, electionId }).sort({ at: 1, _id: 1 }).lean<PartyRightRecord[]>().exec();
  }

  /** Units on the owner register this person owns or votes for. */
  unitsOwnedBy(communityId: Types.ObjectId, personId: string): Promise<number> {
    return this.register.countDocuments({ communityId, $or: [{ ownerPersonIds: personId }, { voterPersonId: personId }] }).exec();
  }
}
