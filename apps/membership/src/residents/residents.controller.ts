import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  MembershipRpc,
  MoveOutDto,
  MoveResidentDto,
  Principal,
  RegisterResidentDto,
  ResidentQueryDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ResidencesService } from './residences.service';
import { ResidentsService } from './residents.service';

@Controller()
export class ResidentsController {
  constructor(
    private readonly residents: ResidentsService,
    private readonly residences: ResidencesService,
  ) {}

  @MessagePattern(MembershipRpc.registerResident.subject)
  register(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipRpc.registerResident>) {
    return this.residents.register(caller, req.communityId, validated(RegisterResidentDto, req.resident));
  }

  @MessagePattern(MembershipRpc.getResident.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipRpc.getResident>) {
    return this.residents.get(caller, req.communityId, req.personId);
  }

  @MessagePattern(MembershipRpc.listResidents.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipRpc.listResidents>) {
    return this.residents.list(caller, req.communityId, validated(ResidentQueryDto, req.page));
  }

  @MessagePattern(MembershipRpc.moveResident.subject)
  move(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipRpc.moveResident>) {
    return this.residences.move(caller, req.communityId, req.personId, validated(MoveResidentDto, req.move));
  }

  @MessagePattern(MembershipRpc.moveOutResident.subject)
  moveOut(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipRpc.moveOutResident>) {
    return this.residences.moveOut(caller, req.communityId, req.personId, validated(MoveOutDto, req.moveOut));
  }

  @MessagePattern(MembershipRpc.residenceHistory.subject)
  history(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipRpc.residenceHistory>) {
    return this.residences.history(caller, req.communityId, req.personId);
  }

  @MessagePattern(MembershipRpc.getHousehold.subject)
  household(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipRpc.getHousehold>) {
    return this.residences.household(caller, req.communityId, req.unitId);
  }
}
