import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Principal, PropertyRpc, RpcRequest } from '@cg/contracts';
import { Caller } from '@cg/messaging';
import { OwnerRegisterService } from './owner-register.service';

@Controller()
export class OwnerRegisterController {
  constructor(private readonly register: OwnerRegisterService) {}

  @MessagePattern(PropertyRpc.ownerRegisterSummary.subject)
  summary(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.ownerRegisterSummary>) {
    return this.register.summary(caller, req.communityId);
  }

  @MessagePattern(PropertyRpc.getRegisteredUnit.subject)
  getUnit(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.getRegisteredUnit>) {
    return this.register.getUnit(caller, req.communityId, req.unitId);
  }
}
