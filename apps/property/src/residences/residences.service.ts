import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, MembershipEvents, ResidentRegisteredData } from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { Types } from 'mongoose';
import { ResidencesRepository } from './residences.repository';

export const RESIDENCES_CONSUMER = 'property-residences';

/** Keeps where residents live, for service requests, surveys by building and the candidates' residence check. */
@Injectable()
export class ResidencesService implements OnApplicationBootstrap {
  constructor(
    private readonly residences: ResidencesRepository,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: RESIDENCES_CONSUMER,
      event: MembershipEvents.residentRegistered,
      handle: (event) => this.onResidentRegistered(event),
    });
  }

  async onResidentRegistered(event: EventEnvelope<ResidentRegisteredData>): Promise<void> {
    const { data } = event;
    await this.residences.recordOnce({
      _id: new Types.ObjectId(data.personId),
      communityId: new Types.ObjectId(event.communityId),
      unitId: new Types.ObjectId(data.unitId),
      buildingId: new Types.ObjectId(data.buildingId),
      gridId: new Types.ObjectId(data.gridId),
      relation: data.relation,
      sourceEventId: event.id,
      since: new Date(event.occurredAt),
    });
  }
}
