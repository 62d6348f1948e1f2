import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, MembershipEvents, ResidentMovedData, ResidentRegisteredData } from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { RESIDENCY_OPTIONS, ResidencyOptions } from './residency.options';
import { ResidencyRepository } from './residency.repository';
import { fromMove, fromRegistration } from './residency.rules';

/** Follows membership's resident events into the service's residency read model. */
@Injectable()
export class ResidencyFollower implements OnApplicationBootstrap {
  constructor(
    @Inject(RESIDENCY_OPTIONS) private readonly options: ResidencyOptions,
    private readonly residencies: ResidencyRepository,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: this.options.durables.registrations,
      event: MembershipEvents.residentRegistered,
      handle: (event) => this.onResidentRegistered(event),
      // An import registers thousands at once: they are stored a batch per insert.
      handleBatch: (events) => this.onResidentsRegistered(events),
    });
    await this.consumers.start({
      durable: this.options.durables.moves,
      event: MembershipEvents.residentMoved,
      handle: (event) => this.onResidentMoved(event),
    });
  }

  /** Idempotent: the record is keyed by person, so a redelivered or late registration changes nothing. */
  async onResidentRegistered(event: EventEnvelope<ResidentRegisteredData>): Promise<void> {
    await this.residencies.recordOnce(fromRegistration(event, this.options.keepNames));
  }

  async onResidentsRegistered(events: EventEnvelope<ResidentRegisteredData>[]): Promise<void> {
    await this.residencies.recordMany(events.map((event) => fromRegistration(event, this.options.keepNames)));
  }

  /** Keeps the person's latest residence revision: a repeated or older move changes nothing. */
  async onResidentMoved(event: EventEnvelope<ResidentMovedData>): Promise<void> {
    const record = fromMove(event, this.options.keepNames);
    if (!record) return;
    await this.residencies.applyRevision(record);
  }
}
