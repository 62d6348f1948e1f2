import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../http/access';
import { ApiGeoReportErrors, ApiGeoReportOk, GeoReportErrorFilter, render } from './georeport-http';
import {
  DiscoveryView,
  FormatPath,
  GeoReportCreatedView,
  GeoReportRequestView,
  GeoReportServiceDefinitionView,
  GeoReportServiceView,
  GeoReportTokenView,
  JurisdictionQuery,
  NewServiceRequest,
  NewServiceRequestQuery,
  ServiceDefinitionPath,
  ServiceRequestListQuery,
  ServiceRequestPath,
  TokenPath,
} from './open311.dto';
import { Open311Service } from './open311.service';

/** When this endpoint last changed in a way a client would notice. */
const CHANGESET = '2026-12-02T00:00:00Z';

/**
 * Open311 GeoReport v2 at /open311/v2, in JSON and XML, so existing civic-reporting clients can file and follow
 * cases. Reads need no token; filing needs an api_key that the community's staff issue.
 */
@ApiTags('open311')
@Public()
@UseFilters(GeoReportErrorFilter)
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get('discovery.:format')
  @ApiOperation({ summary: 'Open311 service discovery: where the GeoReport v2 endpoint is and which formats it speaks' })
  @ApiGeoReportOk(DiscoveryView, { list: false, description: 'The discovery document' })
  @ApiGeoReportErrors(400)
  discovery(@Param() path: FormatPath, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const document: DiscoveryView = {
      changeset: CHANGESET,
      contact: "The residents' committee of each community",
      key_service: 'Community staff issue api_keys: POST /api/v1/communities/{communityId}/open311-keys',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${request.protocol}://${request.host}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
    return render(reply, path.format, 'discovery', document);
  }

  @Get('services.:format')
  @ApiOperation({ summary: 'Open311: the kinds of request a community accepts (the case categories)' })
  @ApiGeoReportOk(GeoReportServiceView, { list: true, description: '`<services><service>…` in XML' })
  @ApiGeoReportErrors(400, 404)
  async services(@Param() path: FormatPath, @Query() query: JurisdictionQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return render(reply, path.format, 'services', await this.open311.services(query.jurisdiction_id));
  }

  @Get('services/:service_code.:format')
  @ApiOperation({ summary: 'Open311: the attributes a request of one service may carry (urgency, what address_id names)' })
  @ApiGeoReportOk(GeoReportServiceDefinitionView, { list: false, description: '`<service_definition>…` in XML' })
  @ApiGeoReportErrors(400, 404)
  async definition(@Param() path: ServiceDefinitionPath, @Query() query: JurisdictionQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return render(reply, path.format, 'service_definition', await this.open311.definition(query.jurisdiction_id, path.service_code));
  }

  @Post('requests.:format')
  @ApiOperation({
    summary: 'Open311: file a service request with an api_key; it becomes a case of the grid of address_id',
    description:
      'Form-encoded as the spec says, or JSON. The case is filed by the api_key’s client application in the key’s ' +
      'community; `lat`/`long` and `address_string` are kept with it. Contact fields are accepted and not kept.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: NewServiceRequest })
  @ApiGeoReportOk(GeoReportCreatedView, { list: true, status: 201, description: '`<service_requests><request>…` in XML' })
  @ApiGeoReportErrors(400, 403, 404)
  async create(
    @Param() path: FormatPath,
    @Query() query: NewServiceRequestQuery,
    @Body() body: NewServiceRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return render(reply, path.format, 'service_requests', await this.open311.file(body, query.api_key, query.jurisdiction_id));
  }

  @Get('requests.:format')
  @ApiOperation({
    summary: 'Open311: service requests of a community, filtered as GeoReport v2 says',
    description:
      'The last 90 days unless start_date/end_date say otherwise (never more than 90 days), at most 1000 requests, ' +
      'oldest first; service_request_id overrides every other filter.',
  })
  @ApiGeoReportOk(GeoReportRequestView, { list: true, description: '`<service_requests><request>…` in XML' })
  @ApiGeoReportErrors(400, 404)
  async list(@Param() path: FormatPath, @Query() query: ServiceRequestListQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return render(reply, path.format, 'service_requests', await this.open311.list(query));
  }

  @Get('requests/:service_request_id.:format')
  @ApiOperation({ summary: 'Open311: one service request' })
  @ApiGeoReportOk(GeoReportRequestView, { list: true, description: '`<service_requests><request>…` in XML' })
  @ApiGeoReportErrors(400, 404)
  async get(@Param() path: ServiceRequestPath, @Query() query: JurisdictionQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return render(reply, path.format, 'service_requests', await this.open311.get(query.jurisdiction_id, path.service_request_id));
  }

  @Get('tokens/:token.:format')
  @ApiOperation({ summary: 'Open311: the service request a token stands for (requests are created at once: the token is its id)' })
  @ApiGeoReportOk(GeoReportTokenView, { list: true, description: '`<service_requests><request>…` in XML' })
  @ApiGeoReportErrors(400, 404)
  async token(@Param() path: TokenPath, @Query() query: JurisdictionQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return render(reply, path.format, 'service_requests', await this.open311.token(query.jurisdiction_id, path.token));
  }
}
