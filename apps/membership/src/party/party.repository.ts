import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DualRegistrationStatus, ServicePost } from '@cg/contracts';
import { CommunityFilter, isDuplicateKey, pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { PartyMember, ServiceRecord } from './party.schema';

type MemberFields = Pick<
  PartyMember,
  'name' | 'workplaceOrganisation' | 'joinedOn' | 'status' | 'buildingId' | 'gridId'
>;

@Injectable()
export class PartyRepository implements OnModuleInit {
  constructor(
    @InjectModel(PartyMember.name) private readonly members: Model<PartyMember>,
    @InjectModel(ServiceRecord.name) private readonly log: Model<ServiceRecord>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.members.createIndexes(), this.log.createIndexes()]);
  }

  saveMember(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    fields: MemberFields,
  ): Promise<PartyMember> {
    return this.members
      .findOneAndUpdate(
        { communityId, personId },
        { $set: fields, $setOnInsert: { registration: DualRegistrationStatus.None, posts: [] } },
        { upsert: true, new: true },
      )
      .lean<PartyMember>()
      .orFail()
      .exec();
  }

  findMember(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<PartyMember | null> {
    return this.members.findOne({ communityId, personId }).lean<PartyMember>().exec();
  }

  list(
    communityId: Types.ObjectId,
    registration: DualRegistrationStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ) {
    const filter: CommunityFilter<PartyMember> = {
      communityId,
      ...(registration && { registration }),
      ...pageFilter(cursor),
    };
    return this.members
      .find(filter)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<PartyMember[]>()
      .exec();
  }

  /** Sets the registration only while it is in one of `from`; returns the member as it is afterwards. */
  async transition(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    from: DualRegistrationStatus[],
    set: Partial<PartyMember>,
  ): Promise<PartyMember | null> {
    const result = await this.members
      .updateOne({ communityId, personId, registration: { $in: from } }, { $set: set })
      .exec();
    return result.matchedCount === 1 ? this.findMember(communityId, personId) : null;
  }

  /**
   * Decides the request made at `requestedAt`, while it is still pending: one conditional update, so of two staff
   * deciding at once one wins. False when the request was decided already.
   */
  async decide(decision: {
    communityId: Types.ObjectId;
    personId: Types.ObjectId;
    requestedAt: Date;
    approve: boolean;
    note?: string;
    decidedBy: string;
  }): Promise<boolean> {
    const result = await this.members
      .updateOne(
        {
          communityId: decision.communityId,
          personId: decision.personId,
          registration: DualRegistrationStatus.Requested,
          requestedAt: decision.requestedAt,
        },
        {
          $set: {
            registration: decision.approve ? DualRegistrationStatus.Approved : DualRegistrationStatus.Rejected,
            decidedAt: new Date(),
            decidedBy: decision.decidedBy,
            ...(decision.note && { decisionNote: decision.note }),
          },
        },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Adds a post to an approved member's posts; null when the member is not approved. */
  async claimPost(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    post: ServicePost,
  ): Promise<PartyMember | null> {
    const result = await this.members
      .updateOne(
        { communityId, personId, registration: DualRegistrationStatus.Approved },
        { $addToSet: { posts: post } },
      )
      .exec();
    return result.matchedCount === 1 ? this.findMember(communityId, personId) : null;
  }

  coverageRows(communityId: Types.ObjectId) {
    return this.members
      .find({ communityId }, { buildingId: 1, gridId: 1, status: 1, registration: 1, _id: 0 })
      .lean<Pick<PartyMember, 'buildingId' | 'gridId' | 'status' | 'registration'>[]>()
      .exec();
  }

  /** Inserts unless the source event is logged already; returns the stored record either way. */
  async logOnce(record: ServiceRecord): Promise<ServiceRecord> {
    try {
      return (await this.log.create(record)).toObject();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.log
        .findOne({ communityId: record.communityId, sourceEventId: record.sourceEventId })
        .lean<ServiceRecord>()
        .orFail()
        .exec();
    }
  }

  servicesIn(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    start: Date,
    end: Date,
  ): Promise<ServiceRecord[]> {
    return this.log
      .find({ communityId, personId, occurredAt: { $gte: start, $lt: end } })
      .sort({ occurredAt: 1, _id: 1 })
      .lean<ServiceRecord[]>()
      .exec();
  }
}
