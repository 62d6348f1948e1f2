import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreatePropertyCompanyDto,
  CreateServiceProgrammeDto,
  PageQueryDto,
  Principal,
  PropertyServiceRpc,
  RecordServiceContractDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { CompaniesService } from './companies.service';

@Controller()
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @MessagePattern(PropertyServiceRpc.createCompany.subject)
  create(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.createCompany>) {
    return this.companies.create(caller, validated(CreatePropertyCompanyDto, req.company));
  }

  @MessagePattern(PropertyServiceRpc.getCompany.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.getCompany>) {
    return this.companies.get(caller, req.companyId);
  }

  @MessagePattern(PropertyServiceRpc.recordContract.subject)
  recordContract(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.recordContract>) {
    return this.companies.recordContract(caller, req.communityId, validated(RecordServiceContractDto, req.contract));
  }

  @MessagePattern(PropertyServiceRpc.listContracts.subject)
  listContracts(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.listContracts>) {
    return this.companies.listContracts(caller, req.communityId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(PropertyServiceRpc.currentService.subject)
  current(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.currentService>) {
    return this.companies.current(caller, req.communityId);
  }

  @MessagePattern(PropertyServiceRpc.createProgramme.subject)
  createProgramme(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.createProgramme>) {
    return this.companies.createProgramme(caller, req.communityId, validated(CreateServiceProgrammeDto, req.programme));
  }

  @MessagePattern(PropertyServiceRpc.listProgrammes.subject)
  listProgrammes(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.listProgrammes>) {
    return this.companies.listProgrammes(caller, req.communityId, validated(PageQueryDto, req.page));
  }
}
