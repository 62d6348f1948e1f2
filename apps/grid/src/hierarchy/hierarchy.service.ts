import { Injectable } from '@nestjs/common';
import {
  COMMUNITY_UNITS_MAX_PAGE,
  CommunityUnitsPageDto,
  BulkCreateBuildingsDto,
  BulkCreateBuildingsResult,
  CommunityPage,
  CommunityView,
  CreateAreaDto,
  CreateCommunityDto,
  CreateGridDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  HierarchyView,
  NodeKind,
  NodeView,
  PageQueryDto,
  Principal,
  Role,
  UnitPage,
  UnitView,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { newId, objectId } from '@cg/persistence';
import { ResidencyRepository } from '@cg/residency';
import { Types } from 'mongoose';
import { HierarchyRepository, NodeRecord } from './hierarchy.repository';
import { duplicateCodes, planUnits } from './unit-codes';
import { toCommunityView, toNodeView, toUnitView } from './views';

@Injectable()
export class HierarchyService {
  constructor(
    private readonly repository: HierarchyRepository,
    private readonly residencies: ResidencyRepository,
  ) {}

  async createCommunity(caller: Principal, dto: CreateCommunityDto): Promise<CommunityView> {
    assertRole(caller, [Role.DistrictAdmin]);
    const _id = newId('node:community');
    const node = await this.repository.insertNode({
      _id,
      communityId: _id,
      kind: NodeKind.Community,
      parentKey: `${dto.district}/${dto.street}`,
      code: dto.code,
      name: dto.name,
      district: dto.district,
      street: dto.street,
    });
    return toCommunityView(node);
  }

  async listCommunities(caller: Principal, page: PageQueryDto): Promise<CommunityPage> {
    assertRole(caller, [Role.DistrictAdmin]);
    return this.repository.listCommunities({ cursor: page.cursor, limit: page.limit ?? DEFAULT_PAGE_SIZE }, toCommunityView);
  }

  async createArea(caller: Principal, communityId: string, dto: CreateAreaDto): Promise<NodeView> {
    const community = await this.managedCommunity(caller, communityId);
    const node = await this.repository.insertNode({
      communityId: community._id,
      kind: NodeKind.Area,
      parentKey: String(community._id),
      parentId: community._id,
      code: dto.code,
      name: dto.name,
    });
    return toNodeView(node);
  }

  async createGrid(caller: Principal, communityId: string, dto: CreateGridDto): Promise<NodeView> {
    const community = await this.managedCommunity(caller, communityId);
    const area = await this.node(community._id, dto.areaId, NodeKind.Area, 'areaId');
    const node = await this.repository.insertNode({
      communityId: community._id,
      kind: NodeKind.Grid,
      parentKey: String(area._id),
      parentId: area._id,
      areaId: area._id,
      code: dto.code,
      name: dto.name,
    });
    return toNodeView(node);
  }

  async bulkCreateBuildings(
    caller: Principal,
    communityId: string,
    dto: BulkCreateBuildingsDto,
  ): Promise<BulkCreateBuildingsResult> {
    const community = await this.managedCommunity(caller, communityId);
    const grid = await this.node(community._id, dto.gridId, NodeKind.Grid, 'gridId');
    const codes = dto.buildings.map((b) => b.code);
    const repeated = duplicateCodes(codes);
    // A retried batch (same write key) finds the buildings its first attempt stored under the ids it gives them: it
    // goes on with the rest instead of refusing its own codes, so a batch cut short by a crash is completed.
    const planned = new Map(codes.map((code) => [code, String(newId(`building:${code}`))]));
    const holders = await this.repository.holdersOf(String(grid._id), codes);
    const taken = holders.filter((n) => planned.get(n.code) !== String(n._id)).map((n) => n.code);
    const problems = [
      ...repeated.map((code) => ({ field: `buildings[${codes.indexOf(code)}].code`, reason: `"${code}" appears twice in the request` })),
      ...taken.map((code) => ({ field: `buildings[${codes.indexOf(code)}].code`, reason: `"${code}" already exists in this grid` })),
    ];
    if (problems.length > 0) {
      throw new DomainException(ErrorCode.CODE_TAKEN, 'Some building codes are not free; nothing was created', problems);
    }
    const buildings: NodeRecord[] = [];
    const units: NodeRecord[] = [];
    for (const spec of dto.buildings) {
      const building: NodeRecord = {
        _id: new Types.ObjectId(planned.get(spec.code)),
        communityId: community._id,
        kind: NodeKind.Building,
        parentKey: String(grid._id),
        parentId: grid._id,
        areaId: grid.areaId,
        gridId: grid._id,
        code: spec.code,
        name: spec.name ?? `Building ${spec.code}`,
        floors: spec.floors,
        unitsPerFloor: spec.unitsPerFloor,
      };
      buildings.push(building);
      for (const unit of planUnits(spec.floors, spec.unitsPerFloor)) {
        units.push({
          _id: newId(`unit:${spec.code}:${unit.code}`),
          communityId: community._id,
          kind: NodeKind.Unit,
          parentKey: String(building._id),
          parentId: building._id,
          areaId: grid.areaId,
          gridId: grid._id,
          buildingId: building._id,
          buildingCode: spec.code,
          code: unit.code,
          name: `${spec.code}-${unit.code}`,
          floor: unit.floor,
        });
      }
    }
    const all = [...buildings, ...units];
    const stored = holders.length > 0 ? await this.repository.existingIds(all.map((n) => n._id)) : new Set<string>();
    await this.repository.insertBatch(all.filter((n) => !stored.has(String(n._id))));
    return { buildingsCreated: buildings.length, unitsCreated: units.length, buildings: buildings.map(toNodeView) };
  }

  async getHierarchy(caller: Principal, communityId: string): Promise<HierarchyView> {
    const community = await this.community(caller, communityId);
    const [nodes, residents] = await Promise.all([
      this.repository.listKinds(community._id, [NodeKind.Area, NodeKind.Grid, NodeKind.Building]),
      this.residencies.countByBuilding(community._id),
    ]);
    const childrenOf = (parent: Types.ObjectId, kind: NodeKind) =>
      nodes.filter((n) => n.kind === kind && String(n.parentId) === String(parent));
    return {
      community: toCommunityView(community),
      areas: childrenOf(community._id, NodeKind.Area).map((area) => ({
        id: String(area._id),
        code: area.code,
        name: area.name,
        grids: childrenOf(area._id, NodeKind.Grid).map((grid) => ({
          id: String(grid._id),
          code: grid.code,
          name: grid.name,
          buildings: childrenOf(grid._id, NodeKind.Building).map((b) => ({
            id: String(b._id),
            code: b.code,
            name: b.name,
            floors: b.floors ?? 0,
            unitCount: b.unitCount ?? (b.floors ?? 0) * (b.unitsPerFloor ?? 0),
            residentCount: residents.get(String(b._id)) ?? 0,
          })),
        })),
      })),
    };
  }

  async listUnits(caller: Principal, communityId: string, buildingId: string, page: PageQueryDto): Promise<UnitPage> {
    const community = await this.community(caller, communityId);
    const building = await this.node(community._id, buildingId, NodeKind.Building, 'buildingId');
    const request = { cursor: page.cursor, limit: page.limit ?? DEFAULT_PAGE_SIZE };
    return this.repository.listUnits(community._id, building._id, request, toUnitView);
  }

  /** Every unit of the community, a large page at a time: one scan per page instead of one per building. */
  async listCommunityUnits(caller: Principal, communityId: string, page: CommunityUnitsPageDto): Promise<UnitPage> {
    const community = await this.managedCommunity(caller, communityId);
    const request = { cursor: page.cursor, limit: page.limit ?? COMMUNITY_UNITS_MAX_PAGE };
    return this.repository.listCommunityUnits(community._id, request, toUnitView);
  }

  async getUnit(caller: Principal, communityId: string, unitId: string): Promise<UnitView> {
    assertCommunityAccess(caller, communityId);
    const unit = await this.repository.findNode({
      communityId: objectId(communityId, ErrorCode.UNIT_NOT_FOUND),
      _id: objectId(unitId, ErrorCode.UNIT_NOT_FOUND),
      kind: NodeKind.Unit,
    });
    if (!unit) throw new DomainException(ErrorCode.UNIT_NOT_FOUND, `No unit ${unitId} in this community`);
    return toUnitView(unit);
  }

  async managedCommunity(caller: Principal, communityId: string): Promise<NodeRecord> {
    assertRole(caller, COMMUNITY_MANAGERS);
    return this.community(caller, communityId);
  }

  async community(caller: Principal, communityId: string): Promise<NodeRecord> {
    assertCommunityAccess(caller, communityId);
    const id = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const community = await this.repository.findNode({ communityId: id, _id: id, kind: NodeKind.Community });
    if (!community) throw new DomainException(ErrorCode.COMMUNITY_NOT_FOUND, `No community ${communityId}`);
    return community;
  }

  async node(communityId: Types.ObjectId, id: string, kind: NodeKind | undefined, field: string): Promise<NodeRecord> {
    const node = await this.repository.findNode({
      communityId,
      _id: objectId(id, ErrorCode.NODE_NOT_FOUND),
      ...(kind && { kind }),
    });
    if (!node) {
      throw new DomainException(ErrorCode.NODE_NOT_FOUND, `No ${kind ?? 'node'} ${id} in this community`, [
        { field, reason: 'not found in this community' },
      ]);
    }
    return node;
  }
}
