import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, MembershipEvents, ResidentMovedData, ResidentRegisteredData } from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { KeyedLocks } from '@cg/persistence';
import { Types } from 'mongoose';
import { ResidencesRepository } from './residences.repository';

export const RESIDENCES_CONSUMER = 'property-residences';
export const RESIDENCE_MOVES_CONSUMER = 'property-resident-moves';

/** Keeps where residents live, for service requests, surveys by building and the candidates' residence check. */
@Injectable()
export class ResidencesService implements OnApplicationBootstrap {
  constructor(
    private readonly residences: ResidencesRepository,
    private readonly consumers: DurableConsumers,
    private readonly locks: KeyedLocks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: RESIDENCES_CONSUMER,
      event: MembershipEvents.residentRegistered,
      handle: (event) => this.onResidentRegistered(event),
    });
    await this.consumers.start({
      durable: RESIDENCE_MOVES_CONSUMER,
      event: MembershipEvents.residentMoved,
      handle: (event) => this.onResidentMoved(event),
    });
  }

  /** Keeps the person's latest residence revision: a repeated or older move changes nothing. */
  async onResidentMoved(event: EventEnvelope<ResidentMovedData>): Promise<void> {
    const { data } = event;
    const place = data.to ?? data.from;
    if (!place) return;
    await this.locks.run(`residency:${data.personId}`, () =>
      this.residences.applyRevision({
        _id: new Types.ObjectId(data.personId),
        communityId: new Types.ObjectId(event.communityId),
        unitId: new Types.ObjectId(place.unitId),
        buildingId: new Types.ObjectId(place.buildingId),
        gridId: new Types.ObjectId(place.gridId),
        relation: data.relation,
        sourceEventId: event.id,
        since: new Date(data.movedAt),
        revision: data.revision,
        ...(!data.to && { leftAt: new Date(data.movedAt) }),
      }),
    );
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
