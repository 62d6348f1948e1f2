import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ConsultationStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { ApplyStep } from '../step-claims/step-claims.repository';
import { Consultation, PartnerSlot } from './consultation.schema';

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;
/** A place whose consultation is missing this long after it was taken was left by a failed ask. */
const ABANDONED_AFTER_MS = 60_000;

@Injectable()
export class ConsultationsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Consultation.name) private readonly consultations: Model<Consultation>,
    @InjectModel(PartnerSlot.name) private readonly slots: Model<PartnerSlot>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.consultations.createIndexes(), this.slots.createIndexes()]);
  }

  /** Takes a free place among the partner's `capacity` places for `consultationId`; false when all are held. */
  async takeSlot(communityId: Types.ObjectId, personId: string, consultationId: Types.ObjectId, capacity: number): Promise<boolean> {
    const held = await this.slots.find({ communityId, personId }).lean<PartnerSlot[]>().exec();
    const taken = new Set<string>();
    for (const slot of held) {
      const owner = await this.consultations.findById(slot.consultationId, { status: 1 }).lean<Pick<Consultation, 'status'>>().exec();
      const abandoned = !owner && Date.now() - slot.takenAt.getTime() > ABANDONED_AFTER_MS;
      if (abandoned || (owner && owner.status !== ConsultationStatus.Asked)) {
        await this.slots.deleteOne({ _id: slot._id, consultationId: slot.consultationId });
      } else {
        taken.add(slot._id);
      }
    }
    for (let n = 0; n < capacity; n += 1) {
      const _id = `${String(communityId)}:${personId}:${n}`;
      if (taken.has(_id)) continue;
      try {
        await this.slots.create({ _id, communityId, personId, consultationId, takenAt: new Date() });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return false;
  }

  async releaseSlot(communityId: Types.ObjectId, personId: string, consultationId: Types.ObjectId): Promise<void> {
    await this.slots.deleteOne({ communityId, personId, consultationId });
  }

  async insert(consultation: Consultation): Promise<Consultation> {
    return (await this.consultations.create(consultation)).toObject();
  }

  findOne(filter: CommunityFilter<Consultation>): Promise<Consultation | null> {
    return this.consultations.findOne(filter, { outbox: 0 }).lean<Consultation>().exec();
  }

  /** Applies a claimed step: only from the version it leaves, moving the consultation on by one. */
  async applyStep(step: Parameters<ApplyStep>[0]): Promise<boolean> {
    const result = await this.consultations.updateOne(
      { _id: step.documentId, communityId: step.communityId, version: step.version },
      { $set: { ...step.set, version: step.version + 1 }, ...(step.push && { $push: step.push }) },
    );
    return result.modifiedCount === 1;
  }

  list(
    communityId: Types.ObjectId,
    filter: { status?: ConsultationStatus; partnerPersonId?: string },
    cursor: string | undefined,
    limit: number,
  ): Promise<Consultation[]> {
    return this.consultations
      .find(
        {
          communityId,
          ...(filter.status && { status: filter.status }),
          ...(filter.partnerPersonId && { partnerPersonId: filter.partnerPersonId }),
          ...pageFilter(cursor),
        },
        { outbox: 0 },
      )
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<Consultation[]>()
      .exec();
  }

  /** The raw collection, for the outbox relay. */
  get collection(): Collection {
    return this.consultations.collection as unknown as Collection;
  }
}
