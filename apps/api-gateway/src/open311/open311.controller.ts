import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseCategory, CaseLocationKind, CaseStatus, CaseUrgency, GridCaseRpc } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { IsMongoId } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import {
  Open311NewRequest,
  Open311Request,
  Open311RequestCreated,
  Open311RequestQuery,
  Open311Service,
  toRequest,
  toService,
} from './open311.dto';

class Open311RequestPath extends CommunityPath {
  @ApiProperty({ description: 'Service request (case) id' })
  @IsMongoId()
  requestId: string;
}

/**
 * Open311 GeoReport v2 over grid cases, so existing civic-reporting clients can file and follow cases.
 * The endpoint of a community is /open311/v2/{communityId}; the jurisdiction is implied by it. JSON only.
 */
@ApiTags('open311')
@Controller('open311/v2/:communityId')
export class Open311Controller {
  constructor(private readonly rpc: RpcClient) {}

  @Get(['services.json', 'services'])
  @ApiOperation({ summary: 'Open311: the kinds of request this community accepts (case categories)' })
  @ApiOkResponse({ type: [Open311Service] })
  @ApiSecured(400)
  services(@Param() _path: CommunityPath): Open311Service[] {
    return Object.values(CaseCategory).map(toService);
  }

  @Post(['requests.json', 'requests'])
  @ApiOperation({ summary: 'Open311: file a service request; it becomes a case routed to the grid of the address' })
  @ApiCreatedResponse({ type: [Open311RequestCreated] })
  @ApiSecured(400, 404)
  async create(@Param() path: CommunityPath, @Body() body: Open311NewRequest): Promise<Open311RequestCreated[]> {
    const view = await this.rpc.send(GridCaseRpc.file, {
      communityId: path.communityId,
      case: {
        category: body.service_code,
        description: body.description,
        urgency: body.urgency ?? CaseUrgency.Normal,
        locationKind: body.location_kind ?? CaseLocationKind.Unit,
        locationId: body.address_id,
        ...(body.address_string && { place: body.address_string }),
        ...(body.media_url && { photoUrls: [body.media_url] }),
      },
    });
    return [{ service_request_id: view.id, service_notice: `Routed to grid ${view.gridId}; due by ${view.dueAt}` }];
  }

  @Get(['requests.json', 'requests'])
  @ApiOperation({ summary: 'Open311: service requests of the community, newest page first, filtered as GeoReport v2 says' })
  @ApiOkResponse({ type: [Open311Request] })
  @ApiSecured(400)
  async list(@Param() path: CommunityPath, @Query() query: Open311RequestQuery): Promise<Open311Request[]> {
    if (query.service_request_id) {
      const ids = query.service_request_id.split(',').map((id) => id.trim()).filter(Boolean).slice(0, 50);
      const found = await Promise.all(
        ids.map((caseId) => this.rpc.send(GridCaseRpc.get, { communityId: path.communityId, caseId }).catch(() => undefined)),
      );
      return found.filter((view) => view !== undefined).map(toRequest);
    }
    const page = await this.rpc.send(GridCaseRpc.list, {
      communityId: path.communityId,
      query: {
        limit: query.page_size ?? 50,
        ...(query.service_code && { category: query.service_code }),
        ...(query.status === 'closed' && { status: [CaseStatus.Closed] }),
      },
    });
    const from = query.start_date ? Date.parse(query.start_date) : -Infinity;
    const to = query.end_date ? Date.parse(query.end_date) : Infinity;
    return page.items
      .map(toRequest)
      .filter((r) => (query.status ? r.status === query.status : true))
      .filter((r) => Date.parse(r.requested_datetime) >= from && Date.parse(r.requested_datetime) < to);
  }

  @Get(['requests/:requestId.json', 'requests/:requestId'])
  @ApiOperation({ summary: 'Open311: one service request' })
  @ApiOkResponse({ type: [Open311Request] })
  @ApiSecured(400, 404)
  async get(@Param() path: Open311RequestPath): Promise<Open311Request[]> {
    return [toRequest(await this.rpc.send(GridCaseRpc.get, { communityId: path.communityId, caseId: path.requestId }))];
  }
}
