import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  IMPORT_MAX_CSV_BYTES,
  IMPORT_MAX_ROWS,
  ImportJobPage,
  ImportJobView,
  MembershipImportRpc,
  PageQueryDto,
  ResidentImportDto,
  Role,
} from '@cg/contracts';
import { RpcClient, UploadStore, validated } from '@cg/messaging';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { ImportPath } from './paths';

/** Reading a 50,000-row file and recording the import takes a few seconds on a busy machine. */
const SUBMIT_TIMEOUT_MS = 60_000;

@ApiTags('membership')
@ApiExtraModels(ResidentImportDto)
@Roles(Role.CommunityStaff, Role.DistrictAdmin)
@Controller('communities/:communityId/residents/imports')
export class ImportsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly uploads: UploadStore,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Import residents and owners from a CSV file exported from a spreadsheet',
    description:
      `Up to ${IMPORT_MAX_ROWS} rows (${IMPORT_MAX_CSV_BYTES} bytes) sent as text/csv, or a small file as JSON ` +
      '{"csv": "..."}. The file is stored and the answer is 202 with the import (status `queued`) and its address ' +
      'in `Location`; follow it with GET until the status is `completed`, `rejected` or `failed`. A file that is ' +
      'not CSV or has too many rows is refused at once: 400 IMPORT_REJECTED. Every row is then checked (unit known ' +
      'to grid, ID number unique in the file and on record, phone, owner area positive with at most two decimals, ' +
      'one voter among co-owners); if any row is bad the import ends `rejected` with `errors` listing line, field ' +
      'and reason, and nothing is stored. Rows already on record (same unit and phone) are left as they are and ' +
      'units whose owners are already as in the file get no new revision, so importing the same file again changes ' +
      'nothing. An accepted import survives a restart of the service: it is taken up again and completed. Owners ' +
      'are recorded in the owner register and published as evt.membership.ownership.recorded.',
  })
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({
    schema: {
      oneOf: [{ type: 'string', description: 'The CSV text' }, { $ref: getSchemaPath(ResidentImportDto) }],
    },
  })
  @ApiAcceptedResponse({ type: ImportJobView, description: 'Accepted; `Location` is the address of the import' })
  @ApiSecured(400, 413)
  async submit(
    @Param() path: CommunityPath,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportJobView> {
    const csv = typeof body === 'string' ? body : validated(ResidentImportDto, body).csv;
    const data = Buffer.from(csv, 'utf8');
    const upload = `resident-imports/${path.communityId}/${randomUUID()}`;
    await this.uploads.put(upload, data);
    const job = await this.rpc.send(
      MembershipImportRpc.submit,
      { communityId: path.communityId, upload, bytes: data.length },
      { timeoutMs: SUBMIT_TIMEOUT_MS },
    );
    reply.header('location', `/api/v1/communities/${path.communityId}/residents/imports/${job.id}`);
    return job;
  }

  @Get()
  @ApiOperation({ summary: 'Imports of the community, oldest first, without their row problems' })
  @ApiOkResponse({ type: ImportJobPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() page: PageQueryDto): Promise<ImportJobPage> {
    return this.rpc.send(MembershipImportRpc.list, { communityId: path.communityId, page });
  }

  @Get(':importId')
  @ApiOperation({
    summary: 'An import: its status, and its report when completed or its row problems when rejected',
  })
  @ApiOkResponse({ type: ImportJobView })
  @ApiSecured(404)
  get(@Param() path: ImportPath): Promise<ImportJobView> {
    return this.rpc.send(MembershipImportRpc.get, { communityId: path.communityId, importId: path.importId });
  }
}
