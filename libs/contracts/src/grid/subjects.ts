import { rpc } from '../rpc';
import { PageQueryDto } from '../common/pagination';
import {
  AssignStaffDto,
  BulkCreateBuildingsDto,
  CreateAreaDto,
  CreateCommunityDto,
  CreateGridDto,
} from './dto';
import {
  BulkCreateBuildingsResult,
  CommunityView,
  HierarchyView,
  NodeView,
  ResidenceView,
  StaffView,
  UnitPage,
  UnitView,
} from './views';

export interface InCommunity {
  communityId: string;
}

export const GridRpc = {
  createCommunity: rpc<CreateCommunityDto, CommunityView>('grid.communities.create'),
  getHierarchy: rpc<InCommunity, HierarchyView>('grid.hierarchy.get'),
  createArea: rpc<InCommunity & { area: CreateAreaDto }, NodeView>('grid.areas.create'),
  createGrid: rpc<InCommunity & { grid: CreateGridDto }, NodeView>('grid.grids.create'),
  bulkCreateBuildings: rpc<InCommunity & { bulk: BulkCreateBuildingsDto }, BulkCreateBuildingsResult>(
    'grid.buildings.bulk-create',
  ),
  listUnits: rpc<InCommunity & { buildingId: string; page: PageQueryDto }, UnitPage>('grid.units.list'),
  getUnit: rpc<InCommunity & { unitId: string }, UnitView>('grid.units.get'),
  assignStaff: rpc<InCommunity & { staff: AssignStaffDto }, StaffView>('grid.staff.assign'),
  getResidence: rpc<InCommunity & { personId: string }, ResidenceView>('grid.residence.get'),
} as const;
