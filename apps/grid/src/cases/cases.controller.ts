import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ArbitrateCaseDto,
  AssignCaseDto,
  CaseListQueryDto,
  CaseStatisticsQueryDto,
  CaseStepDto,
  CaseTrendsQueryDto,
  DecideExtensionDto,
  FileCaseDto,
  GridCaseRpc,
  Principal,
  RateCaseDto,
  RequestExtensionDto,
  ReturnCaseDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { CaseTrendsService } from './case-trends.service';
import { CasesService } from './cases.service';

@Controller()
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly caseTrends: CaseTrendsService,
  ) {}

  @MessagePattern(GridCaseRpc.file.subject)
  file(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.file>) {
    return this.cases.file(caller, req.communityId, validated(FileCaseDto, req.case));
  }

  @MessagePattern(GridCaseRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.get>) {
    return this.cases.get(caller, req.communityId, req.caseId);
  }

  @MessagePattern(GridCaseRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.list>) {
    return this.cases.list(caller, req.communityId, validated(CaseListQueryDto, req.query));
  }

  @MessagePattern(GridCaseRpc.accept.subject)
  accept(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.accept>) {
    return this.cases.accept(caller, req.communityId, req.caseId, validated(CaseStepDto, req.step));
  }

  @MessagePattern(GridCaseRpc.return.subject)
  returnCase(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.return>) {
    return this.cases.returnCase(caller, req.communityId, req.caseId, validated(ReturnCaseDto, req.step));
  }

  @MessagePattern(GridCaseRpc.arbitrate.subject)
  arbitrate(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.arbitrate>) {
    return this.cases.arbitrate(caller, req.communityId, req.caseId, validated(ArbitrateCaseDto, req.step));
  }

  @MessagePattern(GridCaseRpc.assign.subject)
  assign(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.assign>) {
    return this.cases.assign(caller, req.communityId, req.caseId, validated(AssignCaseDto, req.step));
  }

  @MessagePattern(GridCaseRpc.start.subject)
  start(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.start>) {
    return this.cases.start(caller, req.communityId, req.caseId, validated(CaseStepDto, req.step));
  }

  @MessagePattern(GridCaseRpc.resolve.subject)
  resolve(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.resolve>) {
    return this.cases.resolve(caller, req.communityId, req.caseId, validated(CaseStepDto, req.step));
  }

  @MessagePattern(GridCaseRpc.rate.subject)
  rate(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.rate>) {
    return this.cases.rate(caller, req.communityId, req.caseId, validated(RateCaseDto, req.step));
  }

  @MessagePattern(GridCaseRpc.requestExtension.subject)
  requestExtension(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof GridCaseRpc.requestExtension>,
  ) {
    return this.cases.requestExtension(
      caller,
      req.communityId,
      req.caseId,
      validated(RequestExtensionDto, req.step),
    );
  }

  @MessagePattern(GridCaseRpc.decideExtension.subject)
  decideExtension(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof GridCaseRpc.decideExtension>,
  ) {
    return this.cases.decideExtension(
      caller,
      req.communityId,
      req.caseId,
      validated(DecideExtensionDto, req.step),
    );
  }

  @MessagePattern(GridCaseRpc.statistics.subject)
  statistics(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.statistics>) {
    return this.cases.statistics(caller, req.communityId, validated(CaseStatisticsQueryDto, req.query));
  }

  @MessagePattern(GridCaseRpc.trends.subject)
  trends(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCaseRpc.trends>) {
    return this.caseTrends.trends(caller, req.communityId, validated(CaseTrendsQueryDto, req.query));
  }
}
