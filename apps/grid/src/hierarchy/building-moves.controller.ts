import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GridHierarchyRpc, MoveBuildingDto, Principal, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { BuildingMovesService } from './building-moves.service';

@Controller()
export class BuildingMovesController {
  constructor(private readonly moves: BuildingMovesService) {}

  @MessagePattern(GridHierarchyRpc.moveBuilding.subject)
  move(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridHierarchyRpc.moveBuilding>) {
    return this.moves.move(caller, req.communityId, req.buildingId, validated(MoveBuildingDto, req.move));
  }
}
