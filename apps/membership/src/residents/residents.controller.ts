import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MembershipRpc, PageQueryDto, Principal, RegisterResidentDto, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ResidentsService } from './residents.service';

@Controller()
export class ResidentsController {
  constructor(private readonly residents: ResidentsService) {}

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
    return this.residents.list(caller, req.communityId, validated(PageQueryDto, req.page));
  }
}
