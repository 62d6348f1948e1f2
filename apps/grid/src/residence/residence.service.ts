import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  DomainException,
  ErrorCode,
  EventEnvelope,
  MembershipEvents,
  NodeKind,
  Principal,
  ResidenceView,
  ResidentMovedData,
  ResidentRegisteredData,
  Role,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess } from '@cg/auth';
import { DurableConsumers } from '@cg/messaging';
import { KeyedLocks, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { HierarchyRepository } from '../hierarchy/hierarchy.repository';
import { ResidencyRepository } from '../hierarchy/residency.repository';
import { toNodeView, toStaffView, toUnitView } from '../hierarchy/views';

export const RESIDENTS_CONSUMER = 'grid-residents';
export const RESIDENT_MOVES_CONSUMER = 'grid-resident-moves';

/** Keeps who lives in which building, from membership's events, and answers "where do I live, who is responsible". */
@Injectable()
export class ResidenceService implements OnApplicationBootstrap {
  constructor(
    private readonly residencies: ResidencyRepository,
    private readonly hierarchy: HierarchyRepository,
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

  /** Idempotent: the record is keyed by person, so a redelivered event changes nothing. */
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

  async getResidence(caller: Principal, communityId: string, personId: string): Promise<ResidenceView> {
    assertCommunityAccess(caller, communityId);
    if (caller.personId !== personId && !hasAnyRole(caller, [...COMMUNITY_MANAGERS, Role.GridWorker, Role.System])) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'You may only read your own residence');
    }
    const community = objectId(communityId, ErrorCode.RESIDENT_NOT_FOUND);
    const residency = await this.residencies.findForPerson(community, objectId(personId, ErrorCode.RESIDENT_NOT_FOUND));
    if (!residency || residency.leftAt) {
      throw new DomainException(ErrorCode.RESIDENT_NOT_FOUND, 'No residence is known for this person in this community now');
    }
    const nodes = await this.hierarchy.findNodes(community, [residency.unitId, residency.buildingId, residency.gridId]);
    const byKind = (kind: NodeKind) => nodes.find((n) => n.kind === kind);
    const unit = byKind(NodeKind.Unit);
    const building = byKind(NodeKind.Building);
    // The building's grid decides: it is current even while a move's events are still on their way.
    const gridId = building?.gridId ?? residency.gridId;
    const grid = nodes.find((n) => String(n._id) === String(gridId)) ?? (await this.hierarchy.findNodes(community, [gridId]))[0];
    if (!unit || !building || !grid || !grid.areaId) {
      throw new DomainException(ErrorCode.NODE_NOT_FOUND, 'The residence points at a unit that no longer exists');
    }
    const [areas, staff] = await Promise.all([
      this.hierarchy.findNodes(community, [grid.areaId]),
      this.hierarchy.currentStaff(community, [grid._id, building._id]),
    ]);
    return {
      unit: toUnitView(unit),
      building: toNodeView(building),
      grid: toNodeView(grid),
      area: toNodeView(areas[0]),
      staff: staff.map(toStaffView),
    };
  }
}
