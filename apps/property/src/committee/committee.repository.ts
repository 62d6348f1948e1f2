import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { insertOnce, isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { CommitteeTerm, CommitteeTermEnd, CommitteeTermVoid } from './committee.schema';

@Injectable()
export class CommitteeRepository implements OnModuleInit {
  constructor(
    @InjectModel(CommitteeTerm.name) private readonly terms: Model<CommitteeTerm>,
    @InjectModel(CommitteeTermEnd.name) private readonly ends: Model<CommitteeTermEnd>,
    @InjectModel(CommitteeTermVoid.name) private readonly voids: Model<CommitteeTermVoid>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.terms.createIndexes(), this.ends.createIndexes(), this.voids.createIndexes()]);
  }

  /**
   * False when the term's number is taken (another term was seated at the same time). The same write retried
   * (same `_id`) finds its term stored and writes nothing.
   */
  async insertTerm(term: CommitteeTerm): Promise<boolean> {
    try {
      await insertOnce(this.terms, term);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Every term of the community, oldest first. A community has a handful: one every few years. */
  termsOf(communityId: Types.ObjectId): Promise<CommitteeTerm[]> {
    return this.terms.find({ communityId }, { outbox: 0 }).sort({ number: 1 }).lean<CommitteeTerm[]>().exec();
  }

  /** False when the term already has an end record. */
  async insertEnd(end: CommitteeTermEnd): Promise<boolean> {
    try {
      await this.ends.create(end);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  endsOf(communityId: Types.ObjectId): Promise<CommitteeTermEnd[]> {
    return this.ends.find({ communityId }).lean<CommitteeTermEnd[]>().exec();
  }

  /** False when the term was voided already; the void record carries its event. */
  async insertVoid(record: CommitteeTermVoid): Promise<boolean> {
    try {
      await this.voids.create(record);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  voidsOf(communityId: Types.ObjectId): Promise<CommitteeTermVoid[]> {
    return this.voids.find({ communityId }, { outbox: 0 }).lean<CommitteeTermVoid[]>().exec();
  }
}
