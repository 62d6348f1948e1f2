import {
  CaseListQueryDto,
  CaseView,
  GridCaseRpc,
  MembershipOwnershipRpc,
  MembershipPartyRpc,
  MembershipRpc,
  MembershipVolunteerRpc,
  OWNER_REGISTER_READERS,
  OwnershipView,
  Page,
  PartyMemberView,
  ResidentView,
  Role,
  VolunteerProfileView,
} from '@cg/contracts';
import type { RpcClient } from '@cg/messaging';
import type { ExportColumn } from './export-writer';

/** The largest page the list RPCs answer. */
export const EXPORT_PAGE_SIZE = 200;

export enum ExportKind {
  Residents = 'residents',
  OwnerRegister = 'owner-register',
  Volunteers = 'volunteers',
  PartyMembers = 'party-members',
}

/** Filters an export passes on to the list it pages through; each table takes the ones its list knows. */
export interface ExportFilters {
  buildingId?: string;
  workplaceOrganisation?: string;
  cases?: Omit<CaseListQueryDto, 'cursor' | 'limit'>;
}

/** What one kind of export is: who may take it, its columns, and the list RPC it pages through. */
export interface ExportTable<T> {
  sheet: string;
  roles: readonly Role[];
  columns: readonly ExportColumn<T>[];
  page(rpc: RpcClient, communityId: string, filters: ExportFilters, cursor?: string): Promise<Page<T>>;
  /** Rows of a page that belong in the export, where the list cannot filter them itself. */
  keep?(row: T, filters: ExportFilters): boolean;
}

const STAFF = [Role.CommunityStaff, Role.DistrictAdmin];
const page = (cursor?: string) => ({ limit: EXPORT_PAGE_SIZE, ...(cursor && { cursor }) });

const cases: ExportTable<CaseView> = {
  sheet: 'cases',
  roles: [...STAFF, Role.GridWorker],
  columns: [
    { key: 'id', zh: '诉求编号', en: 'Case id', value: (c) => c.id },
    { key: 'category', zh: '类别', en: 'Category', value: (c) => c.category },
    { key: 'urgency', zh: '紧急程度', en: 'Urgency', value: (c) => c.urgency },
    { key: 'status', zh: '状态', en: 'Status', value: (c) => c.status },
    { key: 'gridId', zh: '网格', en: 'Grid', value: (c) => c.gridId },
    { key: 'buildingId', zh: '楼栋', en: 'Building', value: (c) => c.buildingId },
    { key: 'unitId', zh: '房屋', en: 'Unit', value: (c) => c.unitId },
    { key: 'place', zh: '地点', en: 'Place', value: (c) => c.place },
    { key: 'description', zh: '描述', en: 'Description', value: (c) => c.description },
    { key: 'reportedAt', zh: '上报时间', en: 'Reported at', value: (c) => c.reportedAt },
    { key: 'dueAt', zh: '办结期限', en: 'Due at', value: (c) => c.dueAt },
    { key: 'assignee', zh: '承办人', en: 'Assignee', value: (c) => c.assignee?.name },
    { key: 'resolvedAt', zh: '办结时间', en: 'Resolved at', value: (c) => c.resolvedAt },
    { key: 'closedAt', zh: '关闭时间', en: 'Closed at', value: (c) => c.closedAt },
    { key: 'rating', zh: '评价', en: 'Rating', value: (c) => c.rating },
  ],
  page: (rpc, communityId, filters, cursor) =>
    rpc.send(GridCaseRpc.list, { communityId, query: { ...filters.cases, ...page(cursor) } }),
};

const residents: ExportTable<ResidentView> = {
  sheet: 'residents',
  roles: [...STAFF, Role.GridWorker],
  columns: [
    { key: 'id', zh: '人员编号', en: 'Person id', value: (r) => r.id },
    { key: 'name', zh: '姓名', en: 'Name', value: (r) => r.name },
    { key: 'phone', zh: '电话', en: 'Phone', value: (r) => r.phone },
    { key: 'idNumber', zh: '证件号码', en: 'ID number', value: (r) => r.idNumber },
    { key: 'gender', zh: '性别', en: 'Gender', value: (r) => r.gender },
    { key: 'dateOfBirth', zh: '出生日期', en: 'Date of birth', value: (r) => r.dateOfBirth },
    { key: 'gridId', zh: '网格', en: 'Grid', value: (r) => r.gridId },
    { key: 'buildingId', zh: '楼栋', en: 'Building', value: (r) => r.buildingId },
    { key: 'unitId', zh: '房屋', en: 'Unit', value: (r) => r.unitId },
    { key: 'relation', zh: '与房屋关系', en: 'Relation', value: (r) => r.relation },
    { key: 'residentSince', zh: '入住时间', en: 'Resident since', value: (r) => r.residentSince },
    { key: 'movedOutAt', zh: '迁出时间', en: 'Moved out at', value: (r) => r.movedOutAt },
  ],
  page: (rpc, communityId, filters, cursor) =>
    rpc.send(MembershipRpc.listResidents, {
      communityId,
      page: { ...page(cursor), ...(filters.buildingId && { buildingId: filters.buildingId }) },
    }),
};

const ownerRegister: ExportTable<OwnershipView> = {
  sheet: 'owner-register',
  roles: OWNER_REGISTER_READERS,
  columns: [
    { key: 'unitId', zh: '房屋编号', en: 'Unit id', value: (o) => o.unitId },
    { key: 'unitCode', zh: '房号', en: 'Unit', value: (o) => o.unitCode },
    { key: 'buildingId', zh: '楼栋', en: 'Building', value: (o) => o.buildingId },
    { key: 'gridId', zh: '网格', en: 'Grid', value: (o) => o.gridId },
    { key: 'exclusiveArea', zh: '专有部分面积(㎡)', en: 'Exclusive area (m²)', value: (o) => o.exclusiveArea },
    { key: 'areaSource', zh: '面积来源', en: 'Area source', value: (o) => o.areaSource },
    { key: 'owners', zh: '业主', en: 'Owners', value: (o) => o.owners.map((owner) => owner.name).join('; ') },
    { key: 'voterPersonId', zh: '投票人', en: 'Voter', value: (o) => o.voterPersonId },
    { key: 'heldByDeveloper', zh: '开发商持有', en: 'Held by developer', value: (o) => o.heldByDeveloper },
    { key: 'headcountKey', zh: '人数计算键', en: 'Headcount key', value: (o) => o.headcountKey },
  ],
  page: (rpc, communityId, filters, cursor) =>
    rpc.send(MembershipOwnershipRpc.register, {
      communityId,
      query: { ...page(cursor), ...(filters.buildingId && { buildingId: filters.buildingId }) },
    }),
};

const volunteers: ExportTable<VolunteerProfileView> = {
  sheet: 'volunteers',
  roles: [...STAFF, Role.GridWorker],
  columns: [
    { key: 'personId', zh: '人员编号', en: 'Person id', value: (v) => v.personId },
    { key: 'name', zh: '姓名', en: 'Name', value: (v) => v.name },
    { key: 'skills', zh: '技能', en: 'Skills', value: (v) => v.skills.join('; ') },
    { key: 'availability', zh: '可服务时间', en: 'Availability', value: (v) => v.availability.join('; ') },
    { key: 'gridId', zh: '网格', en: 'Grid', value: (v) => v.gridId },
    { key: 'buildingId', zh: '楼栋', en: 'Building', value: (v) => v.buildingId },
  ],
  page: (rpc, communityId, _filters, cursor) =>
    rpc.send(MembershipVolunteerRpc.listProfiles, { communityId, query: page(cursor) }),
};

const partyMembers: ExportTable<PartyMemberView> = {
  sheet: 'party-members',
  roles: [...STAFF, Role.GridWorker],
  columns: [
    { key: 'workplaceOrganisation', zh: '工作单位党组织', en: 'Workplace organisation', value: (m) => m.workplaceOrganisation },
    { key: 'personId', zh: '人员编号', en: 'Person id', value: (m) => m.personId },
    { key: 'name', zh: '姓名', en: 'Name', value: (m) => m.name },
    { key: 'status', zh: '党员状态', en: 'Status', value: (m) => m.status },
    { key: 'joinedOn', zh: '入党日期', en: 'Joined on', value: (m) => m.joinedOn },
    { key: 'registration', zh: '双报到状态', en: 'Dual registration', value: (m) => m.registration },
    { key: 'buildingPartyGroupId', zh: '楼栋党小组', en: 'Building party group', value: (m) => m.buildingPartyGroupId },
    { key: 'gridId', zh: '网格', en: 'Grid', value: (m) => m.gridId },
    { key: 'posts', zh: '服务岗位', en: 'Service posts', value: (m) => m.posts.join('; ') },
  ],
  page: (rpc, communityId, _filters, cursor) => rpc.send(MembershipPartyRpc.list, { communityId, query: page(cursor) }),
  keep: (m, filters) => !filters.workplaceOrganisation || m.workplaceOrganisation === filters.workplaceOrganisation,
};

export const CASE_EXPORT = cases;

export const EXPORT_TABLES: Record<ExportKind, ExportTable<unknown>> = {
  [ExportKind.Residents]: residents,
  [ExportKind.OwnerRegister]: ownerRegister,
  [ExportKind.Volunteers]: volunteers,
  [ExportKind.PartyMembers]: partyMembers,
};
