import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GridRpc, Principal, RpcRequest } from '@cg/contracts';
import { Caller } from '@cg/messaging';
import { ResidenceService } from './residence.service';

@Controller()
export class ResidenceController {
  constructor(private readonly residence: ResidenceService) {}

  @MessagePattern(GridRpc.getResidence.subject)
  getResidence(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.getResidence>) {
    return this.residence.getResidence(caller, req.communityId, req.personId);
  }
}
