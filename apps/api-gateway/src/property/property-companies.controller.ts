import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CommunityPropertyServiceView,
  CompanyEvaluationView,
  CreatePropertyCompanyDto,
  CreateServiceProgrammeDto,
  PageQueryDto,
  PropertyCompanyView,
  PropertyServiceRpc,
  RecordServiceContractDto,
  Role,
  ServiceContractPage,
  ServiceContractView,
  ServiceProgrammePage,
  ServiceProgrammeView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { CompanyEvaluationPath, CompanyPath } from './service-paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];
const PROGRAMME_MANAGERS = [Role.PropertyManager, ...MANAGERS];
const EVALUATION_READERS = [...MANAGERS, Role.OwnersCommitteeMember, Role.PropertyManager];

@ApiTags('property')
@Controller('property-companies')
export class PropertyCompaniesController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(Role.DistrictAdmin)
  @Post()
  @ApiOperation({ summary: 'Register a property company of the district, with its party branch if it has one', description: '409 DUPLICATE for a credit code already registered.' })
  @ApiCreatedResponse({ type: PropertyCompanyView })
  @ApiSecured(400, 409)
  create(@Body() body: CreatePropertyCompanyDto): Promise<PropertyCompanyView> {
    return this.rpc.send(PropertyServiceRpc.createCompany, { company: body });
  }

  @Roles(Role.DistrictAdmin)
  @Get(':companyId')
  @ApiOperation({ summary: 'One property company' })
  @ApiOkResponse({ type: PropertyCompanyView })
  @ApiSecured(400, 404)
  get(@Param() path: CompanyPath): Promise<PropertyCompanyView> {
    return this.rpc.send(PropertyServiceRpc.getCompany, { companyId: path.companyId });
  }
}

@ApiTags('property')
@Controller('communities/:communityId')
export class CommunityPropertyServiceController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...MANAGERS)
  @Post('property-contracts')
  @ApiOperation({
    summary: 'Record which company serves the community for which contract period',
    description: 'Days are inclusive; a period sharing a day with another contract of the community is 409 CONFLICT.',
  })
  @ApiCreatedResponse({ type: ServiceContractView })
  @ApiSecured(400, 404, 409)
  recordContract(@Param() path: CommunityPath, @Body() body: RecordServiceContractDto): Promise<ServiceContractView> {
    return this.rpc.send(PropertyServiceRpc.recordContract, { communityId: path.communityId, contract: body });
  }

  @Get('property-contracts')
  @ApiOperation({ summary: 'Contract periods of the property companies serving the community' })
  @ApiOkResponse({ type: ServiceContractPage })
  @ApiSecured(400)
  listContracts(@Param() path: CommunityPath, @Query() page: PageQueryDto): Promise<ServiceContractPage> {
    return this.rpc.send(PropertyServiceRpc.listContracts, { communityId: path.communityId, page });
  }

  @Get('property-service')
  @ApiOperation({ summary: 'The company serving the community today: company, party branch, contract and service programmes' })
  @ApiOkResponse({ type: CommunityPropertyServiceView })
  @ApiSecured(404)
  current(@Param() path: CommunityPath): Promise<CommunityPropertyServiceView> {
    return this.rpc.send(PropertyServiceRpc.currentService, { communityId: path.communityId });
  }

  @Roles(...PROGRAMME_MANAGERS)
  @Post('service-programmes')
  @ApiOperation({ summary: 'Add a service programme (elderly-care visits, handyman service) of the company serving the community' })
  @ApiCreatedResponse({ type: ServiceProgrammeView })
  @ApiSecured(400, 409)
  createProgramme(@Param() path: CommunityPath, @Body() body: CreateServiceProgrammeDto): Promise<ServiceProgrammeView> {
    return this.rpc.send(PropertyServiceRpc.createProgramme, { communityId: path.communityId, programme: body });
  }

  @Get('service-programmes')
  @ApiOperation({ summary: 'Service programmes run in the community' })
  @ApiOkResponse({ type: ServiceProgrammePage })
  @ApiSecured(400)
  listProgrammes(@Param() path: CommunityPath, @Query() page: PageQueryDto): Promise<ServiceProgrammePage> {
    return this.rpc.send(PropertyServiceRpc.listProgrammes, { communityId: path.communityId, page });
  }

  @Roles(...EVALUATION_READERS)
  @Get('property-companies/:companyId/evaluations/:period')
  @ApiOperation({
    summary: "The company's evaluation in this community for a period",
    description:
      "Out of 100: the period's satisfaction survey (weight 50), requests resolved by their deadline (30) and residents' ratings (20); " +
      'components without data are left out and the weights rescaled. Grade A from 90, B from 75, C from 60.',
  })
  @ApiOkResponse({ type: CompanyEvaluationView })
  @ApiSecured(400, 404)
  evaluate(@Param() path: CompanyEvaluationPath): Promise<CompanyEvaluationView> {
    return this.rpc.send(PropertyServiceRpc.evaluateCompany, { communityId: path.communityId, companyId: path.companyId, period: path.period });
  }
}
