import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MembershipImportRpc, Principal, RpcRequest } from '@cg/contracts';
import { Caller } from '@cg/messaging';
import { ImportsService } from './imports.service';

@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @MessagePattern(MembershipImportRpc.importResidents.subject)
  importResidents(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof MembershipImportRpc.importResidents>,
  ) {
    return this.imports.importResidents(caller, req.communityId, req.csvGzipBase64);
  }
}
