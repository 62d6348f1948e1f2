import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { PartnerDomain } from '@cg/contracts';
import { CommunityFilter, isDuplicateKey, pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Partner, PartnerConsultation } from './partner.schema';

@Injectable()
export class PartnersRepository implements OnModuleInit {
  constructor(
    @InjectModel(Partner.name) private readonly partners: Model<Partner>,
    @InjectModel(PartnerConsultation.name) private readonly consultations: Model<PartnerConsultation>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.partners.createIndexes(), this.consultations.createIndexes()]);
  }

  /** Saving again replaces the profile; keyed by person id, so two saves race to the same document. */
  async save(partner: Omit<Partner, 'updatedAt'>): Promise<Partner> {
    const { _id, communityId, ...fields } = partner;
    const upsert = () =>
      this.partners
        .findOneAndUpdate({ _id, communityId }, { $set: fields }, { upsert: true, new: true })
        .lean<Partner>()
        .orFail()
        .exec();
    try {
      return await upsert();
    } catch (error) {
      // Two first saves raced to insert the same _id; the loser now finds the document and updates it.
      if (!isDuplicateKey(error)) throw error;
      return upsert();
    }
  }

  find(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<Partner | null> {
    return this.partners.findOne({ _id: personId, communityId }).lean<Partner>().exec();
  }

  list(communityId: Types.ObjectId, domain: PartnerDomain | undefined, cursor: string | undefined, limit: number) {
    const filter: CommunityFilter<Partner> = {
      communityId,
      ...(domain && { domains: domain }),
      ...pageFilter(cursor),
    };
    return this.partners
      .find(filter)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<Partner[]>()
      .exec();
  }

  /** Records the consultation unless its source event is already recorded; true when it was new. */
  async recordConsultation(record: Omit<PartnerConsultation, '_id'>): Promise<boolean> {
    try {
      await this.consultations.create(record);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  listConsultations(communityId: Types.ObjectId, personId: string, cursor: string | undefined, limit: number) {
    return this.consultations
      .find({ communityId, personId, ...pageFilter(cursor) })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<PartnerConsultation[]>()
      .exec();
  }

  async countConsultations(communityId: Types.ObjectId, personId: string): Promise<{ completed: number; adopted: number }> {
    const [completed, adopted] = await Promise.all([
      this.consultations.countDocuments({ communityId, personId }).exec(),
      this.consultations.countDocuments({ communityId, personId, adopted: true }).exec(),
    ]);
    return { completed, adopted };
  }
}
