import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ConsultationStatus, EventEnvelope, Page } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, PageRequest, findOneById, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Consultation } from './consultation.schema';

@Injectable()
export class ConsultationsRepository implements OnModuleInit {
  constructor(@InjectModel(Consultation.name) private readonly consultations: Model<Consultation>) {}

  async onModuleInit(): Promise<void> {
    await this.consultations.createIndexes();
  }

  /** The places of a partner held by questions waiting for an answer. */
  async heldSlots(communityId: Types.ObjectId, partnerPersonId: string): Promise<Set<string>> {
    const rows = await this.consultations
      .find({ communityId, partnerPersonId, status: ConsultationStatus.Asked }, { _id: 0, slot: 1 })
      .lean<Pick<Consultation, 'slot'>[]>()
      .exec();
    return new Set(rows.map((r) => r.slot));
  }

  /**
   * Inserts the question unless its place is held (the unique slot decides); null then. The same write retried
   * (same `_id`) answers the question stored first, in whichever place it holds.
   */
  async insertInSlot(consultation: Consultation): Promise<Consultation | null> {
    try {
      return (await insertOnce(this.consultations, consultation)).doc;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  findOne(filter: CommunityFilter<Consultation>): Promise<Consultation | null> {
    return findOneById<Consultation>(this.consultations, filter, { outbox: 0 });
  }

  /**
   * Moves the consultation on from the status it was read in, with the event the step causes, in one update:
   * false when another step moved it first.
   */
  async move(
    consultation: Pick<Consultation, '_id' | 'communityId' | 'status'>,
    set: Partial<Consultation>,
    event?: EventEnvelope,
  ): Promise<boolean> {
    const result = await this.consultations.updateOne(
      { _id: consultation._id, communityId: consultation.communityId, status: consultation.status },
      { $set: set, ...(event && pushEvents(event)) },
    );
    return result.modifiedCount === 1;
  }

  list<V>(
    communityId: Types.ObjectId,
    filter: { status?: ConsultationStatus; partnerPersonId?: string },
    page: PageRequest,
    map: (doc: Consultation) => V,
  ): Promise<Page<V>> {
    return paginate(
      this.consultations,
      {
        communityId,
        ...(filter.status && { status: filter.status }),
        ...(filter.partnerPersonId && { partnerPersonId: filter.partnerPersonId }),
      },
      page,
      map,
      { outbox: 0 },
    );
  }
}
