import { rpc } from '../rpc';
import { PageQueryDto } from '../common/pagination';
import {
  AssignStaffDto,
  BulkCreateBuildingsDto,
  CommunityUnitsPageDto,
  EndStaffAssignmentDto,
  ImportCsvDto,
  MoveBuildingDto,
  ResponsibleQueryDto,
  StaffListQueryDto,
  CreateAreaDto,
  CreateCommunityDto,
  CreateGridDto,
} from './dto';
import {
  BuildingMoveView,
  BulkCreateBuildingsResult,
  CommunityPage,
  CommunityView,
  HierarchyView,
  ImportReport,
  NodeView,
  ResidenceView,
  ResponsibleView,
  StaffPage,
  StaffView,
  UnitPage,
  UnitView,
} from './views';
import {
  ArbitrateCaseDto,
  AssignCaseDto,
  CaseListQueryDto,
  CasePage,
  CaseStatisticsQueryDto,
  CaseStatisticsView,
  CaseStepDto,
  CaseView,
  DecideExtensionDto,
  FileCaseDto,
  RateCaseDto,
  RequestExtensionDto,
  ReturnCaseDto,
} from './cases';
import { CaseTrendsQueryDto, CaseTrendsView } from './trends';

export interface InCommunity {
  communityId: string;
}

export const GridRpc = {
  createCommunity: rpc<CreateCommunityDto, CommunityView>('grid.communities.create'),
  listCommunities: rpc<{ page: PageQueryDto }, CommunityPage>('grid.communities.list'),
  getHierarchy: rpc<InCommunity, HierarchyView>('grid.hierarchy.get'),
  createArea: rpc<InCommunity & { area: CreateAreaDto }, NodeView>('grid.areas.create'),
  createGrid: rpc<InCommunity & { grid: CreateGridDto }, NodeView>('grid.grids.create'),
  bulkCreateBuildings: rpc<InCommunity & { bulk: BulkCreateBuildingsDto }, BulkCreateBuildingsResult>(
    'grid.buildings.bulk-create',
  ),
  listUnits: rpc<InCommunity & { buildingId: string; page: PageQueryDto }, UnitPage>('grid.units.list'),
  getUnit: rpc<InCommunity & { unitId: string }, UnitView>('grid.units.get'),
  /** Every unit of a community in large pages, for bulk work inside the system (imports); not on the public API. */
  listCommunityUnits: rpc<InCommunity & { page: CommunityUnitsPageDto }, UnitPage>('grid.units.list-community'),
  assignStaff: rpc<InCommunity & { staff: AssignStaffDto }, StaffView>('grid.staff.assign'),
  getResidence: rpc<InCommunity & { personId: string }, ResidenceView>('grid.residence.get'),
} as const;

export interface OnCase extends InCommunity {
  caseId: string;
}

export const GridCaseRpc = {
  file: rpc<InCommunity & { case: FileCaseDto }, CaseView>('grid.cases.file'),
  get: rpc<OnCase, CaseView>('grid.cases.get'),
  list: rpc<InCommunity & { query: CaseListQueryDto }, CasePage>('grid.cases.list'),
  accept: rpc<OnCase & { step: CaseStepDto }, CaseView>('grid.cases.accept'),
  return: rpc<OnCase & { step: ReturnCaseDto }, CaseView>('grid.cases.return'),
  arbitrate: rpc<OnCase & { step: ArbitrateCaseDto }, CaseView>('grid.cases.arbitrate'),
  assign: rpc<OnCase & { step: AssignCaseDto }, CaseView>('grid.cases.assign'),
  start: rpc<OnCase & { step: CaseStepDto }, CaseView>('grid.cases.start'),
  resolve: rpc<OnCase & { step: CaseStepDto }, CaseView>('grid.cases.resolve'),
  rate: rpc<OnCase & { step: RateCaseDto }, CaseView>('grid.cases.rate'),
  requestExtension: rpc<OnCase & { step: RequestExtensionDto }, CaseView>('grid.cases.request-extension'),
  decideExtension: rpc<OnCase & { step: DecideExtensionDto }, CaseView>('grid.cases.decide-extension'),
  statistics: rpc<InCommunity & { query: CaseStatisticsQueryDto }, CaseStatisticsView>('grid.cases.statistics'),
  trends: rpc<InCommunity & { query: CaseTrendsQueryDto }, CaseTrendsView>('grid.cases.trends'),
} as const;

/** Staff terms, the people responsible for a building, bulk import and building moves. */
export const GridHierarchyRpc = {
  endStaff: rpc<InCommunity & { assignmentId: string; end: EndStaffAssignmentDto }, StaffView>('grid.staff.end'),
  listStaff: rpc<InCommunity & { query: StaffListQueryDto }, StaffPage>('grid.staff.list'),
  responsible: rpc<InCommunity & { buildingId: string; query: ResponsibleQueryDto }, ResponsibleView>(
    'grid.responsibles.get',
  ),
  importCsv: rpc<InCommunity & { import: ImportCsvDto }, ImportReport>('grid.imports.run'),
  moveBuilding: rpc<InCommunity & { buildingId: string; move: MoveBuildingDto }, BuildingMoveView>('grid.buildings.move'),
} as const;

