import { Controller, Get, Headers, Inject, Param, Query, Res, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode, Principal, hasAnyRole } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { CurrentPrincipal, Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { headerLanguage } from './export-language';
import { CASE_EXPORT, EXPORT_TABLES, ExportFilters, ExportTable } from './export-tables';
import { EXPORT_MEDIA_TYPES, ExportFormat, writeExport } from './export-writer';
import { CaseExportQueryDto, ExportPath, ExportQueryDto } from './exports.dto';

const READERS = [...new Set([...CASE_EXPORT.roles, ...Object.values(EXPORT_TABLES).flatMap((table) => table.roles)])];

function ApiExport() {
  return applyDecorators(
    ApiProduces(EXPORT_MEDIA_TYPES[ExportFormat.Csv], EXPORT_MEDIA_TYPES[ExportFormat.Xlsx]),
    ApiHeader({ name: 'Accept-Language', required: false, description: 'Column headers in Chinese (zh) or English' }),
    ApiOkResponse({
      description: 'The rows, streamed as they are read: CSV (UTF-8 with a byte-order mark) or an Excel workbook',
      content: {
        [EXPORT_MEDIA_TYPES[ExportFormat.Csv]]: { schema: { type: 'string' } },
        [EXPORT_MEDIA_TYPES[ExportFormat.Xlsx]]: { schema: { type: 'string', format: 'binary' } },
      },
    }),
  );
}

@ApiTags('exports')
@Controller('communities/:communityId/exports')
export class ExportsController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  @Roles(...CASE_EXPORT.roles)
  @Get('cases')
  @ApiOperation({
    summary: 'Export the cases of the community as CSV or Excel, with the filters of the case list',
    description: 'Pages through the case list with the caller\'s scope: a grid worker exports what they may list.',
  })
  @ApiExport()
  @ApiSecured(400)
  async cases(
    @Param() path: CommunityPath,
    @Query() query: CaseExportQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { format, ...cases } = query;
    await this.stream(reply, CASE_EXPORT, path.communityId, { cases }, format, acceptLanguage);
  }

  @Roles(...READERS)
  @Get(':kind')
  @ApiOperation({
    summary: 'Export residents, the owner register, volunteers or party members as CSV or Excel',
    description:
      'Pages through the list the owning service answers, with the caller\'s scope: phone and ID numbers come ' +
      'masked exactly as that list masks them for the caller. Party members can be narrowed to one workplace organisation.',
  })
  @ApiExport()
  @ApiSecured(400)
  async export(
    @Param() path: ExportPath,
    @Query() query: ExportQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const table = EXPORT_TABLES[path.kind];
    if (!hasAnyRole(principal, table.roles)) {
      throw new DomainException(ErrorCode.FORBIDDEN, `This export needs one of the roles: ${table.roles.join(', ')}`);
    }
    const { format, ...filters } = query;
    await this.stream(reply, table, path.communityId, filters, format, acceptLanguage);
  }

  /** Answers with the first page in hand, so a refused or invalid export is a problem, not a broken file. */
  private async stream<T>(
    reply: FastifyReply,
    table: ExportTable<T>,
    communityId: string,
    filters: ExportFilters,
    format: ExportFormat = ExportFormat.Csv,
    acceptLanguage: string | undefined,
  ): Promise<void> {
    const rpc = this.rpc;
    let page = await table.page(rpc, communityId, filters);
    const out = new PassThrough();
    const filename = `${table.sheet}-${new Date().toISOString().slice(0, 10)}.${format}`;
    void reply
      .header('content-type', EXPORT_MEDIA_TYPES[format])
      .header('content-disposition', `attachment; filename="${filename}"`)
      .send(out);
    async function* pages(): AsyncGenerator<T[]> {
      for (;;) {
        yield table.keep ? page.items.filter((row) => table.keep!(row, filters)) : page.items;
        if (!page.nextCursor) return;
        page = await table.page(rpc, communityId, filters, page.nextCursor);
      }
    }
    writeExport(out, format, table.sheet, table.columns, headerLanguage(acceptLanguage), pages()).catch(
      (err: unknown) => {
        this.logger.warn({ err, export: table.sheet }, 'export ended part-way');
        out.destroy(err as Error);
      },
    );
  }
}
