import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GridHierarchyRpc, ImportCsvDto, Principal, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ImportsService } from './imports.service';

@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @MessagePattern(GridHierarchyRpc.importCsv.subject)
  importCsv(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridHierarchyRpc.importCsv>) {
    return this.imports.run(caller, req.communityId, validated(ImportCsvDto, req.import));
  }
}
