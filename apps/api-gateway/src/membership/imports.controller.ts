import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import {
  IMPORT_MAX_ROWS,
  ImportReportView,
  MembershipImportRpc,
  ResidentImportDto,
  Role,
} from '@cg/contracts';
import { RpcClient, validated } from '@cg/messaging';
import { gzipSync } from 'node:zlib';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

/** A 20,000-row import takes minutes on the embedded test database. */
const IMPORT_TIMEOUT_MS = 10 * 60 * 1000;

@ApiTags('membership')
@ApiExtraModels(ResidentImportDto)
@Controller('communities/:communityId')
export class ImportsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(Role.CommunityStaff, Role.DistrictAdmin)
  @Post('residents/imports')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import residents and owners from a CSV file exported from a spreadsheet',
    description:
      `Up to ${IMPORT_MAX_ROWS} rows, sent as text/csv or as JSON {"csv": "..."}. Every row is checked first ` +
      '(unit known to grid, ID number unique in the file and on record, phone, owner area positive with at most ' +
      'two decimals, one voter among co-owners); if any row is bad the answer is 400 IMPORT_REJECTED with ' +
      '`errors` listing line, field and reason, and nothing is stored. Rows already on record (same unit and phone) ' +
      'are left as they are and units whose owners are already as in the file get no new revision, so importing ' +
      'the same file again changes nothing, and an import that stopped half-way is completed by importing the file ' +
      'again. Owners are recorded in the owner register and published as evt.membership.ownership.recorded.',
  })
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({
    schema: {
      oneOf: [{ type: 'string', description: 'The CSV text' }, { $ref: getSchemaPath(ResidentImportDto) }],
    },
  })
  @ApiOkResponse({ type: ImportReportView })
  @ApiSecured(400, 413)
  async importResidents(@Param() path: CommunityPath, @Body() body: unknown): Promise<ImportReportView> {
    const csv = typeof body === 'string' ? body : validated(ResidentImportDto, body).csv;
    return this.rpc.send(
      MembershipImportRpc.importResidents,
      { communityId: path.communityId, csvGzipBase64: gzipSync(Buffer.from(csv, 'utf8')).toString('base64') },
      { timeoutMs: IMPORT_TIMEOUT_MS },
    );
  }
}
