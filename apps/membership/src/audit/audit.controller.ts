import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuditQueryDto, MembershipAuditRpc, Principal, RevealNumbersDto, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { AuditService } from './audit.service';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @MessagePattern(MembershipAuditRpc.revealNumbers.subject)
  reveal(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipAuditRpc.revealNumbers>) {
    return this.audit.reveal(caller, req.communityId, req.personId, validated(RevealNumbersDto, req.reveal));
  }

  @MessagePattern(MembershipAuditRpc.listAuditEntries.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipAuditRpc.listAuditEntries>) {
    return this.audit.list(caller, req.communityId, validated(AuditQueryDto, req.query));
  }
}
