import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  OpenServiceRequestDto,
  PropertyServiceRpc,
  RateServiceRequestDto,
  ServiceRequestListQueryDto,
  ServiceRequestPage,
  ServiceRequestStepDto,
  ServiceRequestView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { ServiceRequestPath } from './service-paths';

@ApiTags('property')
@Controller('communities/:communityId/service-requests')
export class ServiceRequestsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @ApiOperation({
    summary: 'Ask the property company for a repair, cleaning or security',
    description: 'The caller must be a resident of the community (403 NOT_ELIGIBLE otherwise); deadlines to accept and resolve follow the category.',
  })
  @ApiCreatedResponse({ type: ServiceRequestView })
  @ApiSecured(400)
  open(@Param() path: CommunityPath, @Body() body: OpenServiceRequestDto): Promise<ServiceRequestView> {
    return this.rpc.send(PropertyServiceRpc.openRequest, { communityId: path.communityId, request: body });
  }

  @Get()
  @ApiOperation({ summary: 'Service requests, a page at a time: all of them for staff and the company, a resident their own' })
  @ApiOkResponse({ type: ServiceRequestPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: ServiceRequestListQueryDto): Promise<ServiceRequestPage> {
    return this.rpc.send(PropertyServiceRpc.listRequests, { communityId: path.communityId, query });
  }

  @Get(':requestId')
  @ApiOperation({ summary: 'One service request with its deadlines and history' })
  @ApiOkResponse({ type: ServiceRequestView })
  @ApiSecured(400, 404)
  get(@Param() path: ServiceRequestPath): Promise<ServiceRequestView> {
    return this.rpc.send(PropertyServiceRpc.getRequest, { communityId: path.communityId, requestId: path.requestId });
  }

  @Post(':requestId/steps')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take the next step: accept, start, resolve, reopen, close or cancel',
    description:
      'Open → accepted → in progress → resolved → closed; cancel while open or accepted; reopen a resolution. An illegal step is 409 ' +
      'INVALID_TRANSITION; a stale `version` or a concurrent change is 409 CONFLICT. Only the company side accepts, starts and resolves. ' +
      'Resolving a request opened from a grid case moves that case to resolved, for its reporter to rate.',
  })
  @ApiOkResponse({ type: ServiceRequestView })
  @ApiSecured(400, 404, 409)
  step(@Param() path: ServiceRequestPath, @Body() body: ServiceRequestStepDto): Promise<ServiceRequestView> {
    return this.rpc.send(PropertyServiceRpc.stepRequest, { communityId: path.communityId, requestId: path.requestId, step: body });
  }

  @Post(':requestId/rating')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rate a resolved request (the resident who asked), which closes it',
    description: '409 INVALID_TRANSITION unless resolved; 403 for anyone but the requester.',
  })
  @ApiOkResponse({ type: ServiceRequestView })
  @ApiSecured(400, 404, 409)
  rate(@Param() path: ServiceRequestPath, @Body() body: RateServiceRequestDto): Promise<ServiceRequestView> {
    return this.rpc.send(PropertyServiceRpc.rateRequest, { communityId: path.communityId, requestId: path.requestId, rating: body });
  }
}
