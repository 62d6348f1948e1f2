import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BulkCreateBuildingsDto,
  CommunityUnitsPageDto,
  CreateAreaDto,
  CreateCommunityDto,
  CreateGridDto,
  GridRpc,
  PageQueryDto,
  Principal,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { HierarchyService } from './hierarchy.service';

@Controller()
export class HierarchyController {
  constructor(private readonly hierarchy: HierarchyService) {}

  @MessagePattern(GridRpc.createCommunity.subject)
  createCommunity(@Caller() caller: Principal, @Payload() body: RpcRequest<typeof GridRpc.createCommunity>) {
    return this.hierarchy.createCommunity(caller, validated(CreateCommunityDto, body));
  }

  @MessagePattern(GridRpc.listCommunities.subject)
  listCommunities(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.listCommunities>) {
    return this.hierarchy.listCommunities(caller, validated(PageQueryDto, req.page));
  }

  @MessagePattern(GridRpc.createArea.subject)
  createArea(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.createArea>) {
    return this.hierarchy.createArea(caller, req.communityId, validated(CreateAreaDto, req.area));
  }

  @MessagePattern(GridRpc.createGrid.subject)
  createGrid(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.createGrid>) {
    return this.hierarchy.createGrid(caller, req.communityId, validated(CreateGridDto, req.grid));
  }

  @MessagePattern(GridRpc.bulkCreateBuildings.subject)
  bulkCreateBuildings(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.bulkCreateBuildings>) {
    return this.hierarchy.bulkCreateBuildings(caller, req.communityId, validated(BulkCreateBuildingsDto, req.bulk));
  }

  @MessagePattern(GridRpc.getHierarchy.subject)
  getHierarchy(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.getHierarchy>) {
    return this.hierarchy.getHierarchy(caller, req.communityId);
  }

  @MessagePattern(GridRpc.listUnits.subject)
  listUnits(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.listUnits>) {
    return this.hierarchy.listUnits(caller, req.communityId, req.buildingId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(GridRpc.listCommunityUnits.subject)
  listCommunityUnits(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.listCommunityUnits>) {
    return this.hierarchy.listCommunityUnits(caller, req.communityId, validated(CommunityUnitsPageDto, req.page ?? {}));
  }

  @MessagePattern(GridRpc.getUnit.subject)
  getUnit(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.getUnit>) {
    return this.hierarchy.getUnit(caller, req.communityId, req.unitId);
  }
}
