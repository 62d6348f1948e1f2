import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  CaseAction,
  CaseStatus,
  EventEnvelope,
  GridEvents,
  PropertyServiceEvents,
  ServiceRequestResolvedData,
  newEvent,
} from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { Types } from 'mongoose';
import { CaseActor } from './case.schema';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { resolvedTally } from './case-tally';
import { resolvedByProperty } from './property-resolution';

export const PROPERTY_RESOLUTIONS_CONSUMER = 'grid-cases-property-resolutions';
/** Reads of the case decided again when a staff step landed between the read and the write. */
const MAX_ATTEMPTS = 5;

/**
 * A service request the property company resolved moves the grid case that opened it to resolved, so the reporter
 * rates and closes it as usual. The move is one update guarded by the status and version it was decided on; a
 * redelivered event finds the case resolved already and changes nothing.
 */
@Injectable()
export class PropertyResolutionsService implements OnApplicationBootstrap {
  constructor(
    private readonly cases: CasesRepository,
    private readonly steps: CasesService,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: PROPERTY_RESOLUTIONS_CONSUMER,
      event: PropertyServiceEvents.serviceRequestResolved,
      handle: (event) => this.onServiceRequestResolved(event),
    });
  }

  async onServiceRequestResolved(event: EventEnvelope<ServiceRequestResolvedData>): Promise<void> {
    const { data } = event;
    if (!data.caseId || !Types.ObjectId.isValid(data.caseId) || !Types.ObjectId.isValid(event.communityId)) return;
    const filter = { communityId: new Types.ObjectId(event.communityId), _id: new Types.ObjectId(data.caseId) };
    const by: CaseActor = { sub: event.actor, name: data.handler ?? 'Property company' };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const record = await this.cases.findOne(filter);
      if (!record || !resolvedByProperty(record.status)) return;
      const now = new Date();
      const resolved = newEvent(
        GridEvents.caseResolved,
        {
          caseId: String(record._id),
          category: record.category,
          ...(record.assignee?.personId && { handlerPersonId: record.assignee.personId }),
          buildingId: String(record.buildingId),
          gridId: String(record.gridId),
          resolvedAt: now.toISOString(),
        },
        { communityId: event.communityId, actor: event.actor, correlationId: event.correlationId },
      );
      const landed = await this.steps.commit(
        record,
        { status: record.status, version: record.version },
        CaseStatus.Resolved,
        CaseAction.Resolve,
        by,
        now,
        {
          set: { resolvedAt: now, tally: resolvedTally(record.tally, record.reportedAt, record.dueAt, now) },
          unset: ['nextEscalationAt', 'pendingExtension'],
          events: [resolved],
        },
        `Resolved by the property company (service request ${data.requestId})`,
      );
      if (landed) return;
    }
    throw new Error(`Case ${data.caseId} kept changing while the property company's resolution was applied`);
  }
}
