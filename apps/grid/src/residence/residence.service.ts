import { Injectable } from '@nestjs/common';
import {
  DomainException,
  ErrorCode,
  NodeKind,
  Principal,
  ResidenceView,
  Role,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess } from '@cg/auth';
import { objectId } from '@cg/persistence';
import { ResidencyRepository } from '@cg/residency';
import { HierarchyRepository } from '../hierarchy/hierarchy.repository';
import { toNodeView, toStaffView, toUnitView } from '../hierarchy/views';


/** Answers "where do I live, who is responsible" from the residency read model and the hierarchy. */
@Injectable()
export class ResidenceService {
  constructor(
    private readonly residencies: ResidencyRepository,
    private readonly hierarchy: HierarchyRepository,
  ) {}

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
