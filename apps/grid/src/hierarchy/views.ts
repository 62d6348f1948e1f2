import { CommunityView, NodeView, StaffView, UnitView } from '@cg/contracts';
import { NodeRecord, StaffRecord } from './hierarchy.repository';

export function toNodeView(node: NodeRecord): NodeView {
  return {
    id: String(node._id),
    communityId: String(node.communityId),
    kind: node.kind,
    code: node.code,
    name: node.name,
    ...(node.parentId && { parentId: String(node.parentId) }),
    ...(node.floors !== undefined && { floors: node.floors }),
    ...(node.unitsPerFloor !== undefined && { unitsPerFloor: node.unitsPerFloor }),
  };
}

export function toCommunityView(node: NodeRecord): CommunityView {
  return { ...toNodeView(node), district: node.district ?? '', street: node.street ?? '' };
}

export function toUnitView(node: NodeRecord): UnitView {
  return {
    id: String(node._id),
    communityId: String(node.communityId),
    code: node.code,
    floor: node.floor ?? 0,
    buildingId: String(node.buildingId),
    buildingCode: node.buildingCode ?? '',
    gridId: String(node.gridId),
    areaId: String(node.areaId),
  };
}

export function toStaffView(staff: StaffRecord): StaffView {
  return {
    id: String(staff._id),
    nodeId: String(staff.nodeId),
    position: staff.position,
    name: staff.name,
    ...(staff.personId && { personId: String(staff.personId) }),
    ...(staff.accountId && { accountId: staff.accountId }),
    ...(staff.phone && { phone: staff.phone }),
    ...(staff.department && { department: staff.department }),
    since: staff.since.toISOString(),
    ...(staff.until && { until: staff.until.toISOString() }),
  };
}
