import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, MembershipEvents, ResidentMovedData, ResidentRegisteredData } from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { KeyedLocks } from '@cg/persistence';
import { Types } from 'mongoose';
import { ResidencyRepository } from './residency.repository';
import { Residency } from './residency.schema';

export const RESIDENTS_CONSUMER = 'activities-residents';
export const RESIDENT_MOVES_CONSUMER = 'activities-resident-moves';

/** Keeps where each resident lives, from membership's events; audiences and boards read it. */
@Injectable()
export class ResidencyService implements OnApplicationBootstrap {
  constructor(
    private readonly residencies: ResidencyRepository,
    private readonly consumers: DurableConsumers,
    private readonly locks: KeyedLocks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: RESIDENTS_CONSUMER,
      event: MembershipEvents.residentRegistered,
      handle: (event) => this.onResidentRegistered(event),
    });
    await this.consumers.start({
      durable: RESIDENT_MOVES_CONSUMER,
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
      this.residencies.applyRevision({
        _id: new Types.ObjectId(data.personId),
        communityId: new Types.ObjectId(event.communityId),
        unitId: new Types.ObjectId(place.unitId),
        buildingId: new Types.ObjectId(place.buildingId),
        gridId: new Types.ObjectId(place.gridId),
        name: data.name,
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
    await this.residencies.recordOnce({
      _id: new Types.ObjectId(data.personId),
      communityId: new Types.ObjectId(event.communityId),
      unitId: new Types.ObjectId(data.unitId),
      buildingId: new Types.ObjectId(data.buildingId),
      gridId: new Types.ObjectId(data.gridId),
      name: data.name,
      relation: data.relation,
      sourceEventId: event.id,
      since: new Date(event.occurredAt),
    });
  }

  /** Where the person lives in this community, when membership has told us. */
  find(communityId: string, personId: string): Promise<Residency | null> {
    if (!Types.ObjectId.isValid(personId)) return Promise.resolve(null);
    return this.residencies.findForPerson(new Types.ObjectId(communityId), new Types.ObjectId(personId));
  }
}
