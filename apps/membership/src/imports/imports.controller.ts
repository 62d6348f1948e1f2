import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MembershipImportRpc, PageQueryDto, Principal, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ImportJobsService } from './import-jobs.service';

@Controller()
export class ImportsController {
  constructor(private readonly jobs: ImportJobsService) {}

  @MessagePattern(MembershipImportRpc.submit.subject)
  submit(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipImportRpc.submit>) {
    return this.jobs.submit(caller, req.communityId, req.upload, req.bytes);
  }

  @MessagePattern(MembershipImportRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipImportRpc.get>) {
    return this.jobs.get(caller, req.communityId, req.importId);
  }

  @MessagePattern(MembershipImportRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipImportRpc.list>) {
    return this.jobs.list(caller, req.communityId, validated(PageQueryDto, req.page ?? {}));
  }
}
