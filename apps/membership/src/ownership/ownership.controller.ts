import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  MembershipOwnershipRpc,
  OwnerRegisterQueryDto,
  Principal,
  RecordOwnershipDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { OwnershipService } from './ownership.service';

@Controller()
export class OwnershipController {
  constructor(private readonly ownership: OwnershipService) {}

  @MessagePattern(MembershipOwnershipRpc.record.subject)
  record(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipOwnershipRpc.record>) {
    return this.ownership.record(
      caller,
      req.communityId,
      req.unitId,
      validated(RecordOwnershipDto, req.ownership),
    );
  }

  @MessagePattern(MembershipOwnershipRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipOwnershipRpc.get>) {
    return this.ownership.get(caller, req.communityId, req.unitId);
  }

  @MessagePattern(MembershipOwnershipRpc.register.subject)
  register(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipOwnershipRpc.register>) {
    return this.ownership.register(caller, req.communityId, validated(OwnerRegisterQueryDto, req.query));
  }

  @MessagePattern(MembershipOwnershipRpc.counts.subject)
  counts(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipOwnershipRpc.counts>) {
    return this.ownership.counts(caller, req.communityId);
  }
}
