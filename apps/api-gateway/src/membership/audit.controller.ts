import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  AuditEntryPage,
  AuditEntryView,
  AuditQueryDto,
  DomainException,
  ErrorCode,
  MembershipAuditRpc,
  REVEALS_PER_HOUR,
  RevealNumbersDto,
  RevealedNumbersView,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { headerLanguage } from '../exports/export-language';
import { EXPORT_MEDIA_TYPES, ExportColumn, ExportFormat, writeExport } from '../exports/export-writer';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { SecretReply } from '../http/idempotency';
import { CommunityPath, ResidentPath } from '../http/paths';

const REVEALERS = [Role.CommunityStaff, Role.DistrictAdmin];
const AUDIT_READERS = [Role.CommunityStaff, Role.OwnersCommitteeMember, Role.DistrictAdmin];
const EXPORT_PAGE = 200;

/** The reveal limit as the problem filter answers it: 429 with Retry-After. */
class RevealLimitReached extends DomainException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(ErrorCode.REVEAL_LIMIT_REACHED, message);
  }
}

export class AuditExportQueryDto extends AuditQueryDto {
  @ApiPropertyOptional({ enum: ['csv'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv'])
  format?: 'csv';
}

const AUDIT_COLUMNS: ExportColumn<AuditEntryView>[] = [
  { key: 'at', zh: '时间', en: 'At', value: (e) => e.at },
  { key: 'actor', zh: '操作账号', en: 'Actor', value: (e) => e.actor },
  { key: 'action', zh: '操作', en: 'Action', value: (e) => e.action },
  { key: 'objectKind', zh: '对象类型', en: 'Object kind', value: (e) => e.object.kind },
  { key: 'objectId', zh: '对象', en: 'Object id', value: (e) => e.object.id },
  { key: 'summary', zh: '摘要', en: 'Summary', value: (e) => e.summary },
  { key: 'id', zh: '记录编号', en: 'Entry id', value: (e) => e.id },
];

@ApiTags('membership')
@Controller('communities/:communityId/residents')
export class RevealController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...REVEALERS)
  @Post(':personId/reveal')
  @SecretReply()
  @ApiOperation({
    summary: "Reveal a resident's full phone and ID number, for a stated purpose",
    description:
      'Every other reply masks them. The reveal is written to the audit log (action ' +
      '`membership.resident.numbers-revealed`, with purpose and reason) before the numbers are answered; if it ' +
      `cannot be written, nothing is revealed. At most ${REVEALS_PER_HOUR} reveals an hour per account: beyond it ` +
      '429 REVEAL_LIMIT_REACHED with Retry-After. Community staff and district administrators only.',
  })
  @ApiCreatedResponse({ type: RevealedNumbersView })
  @ApiSecured(400, 404)
  async reveal(@Param() path: ResidentPath, @Body() body: RevealNumbersDto): Promise<RevealedNumbersView> {
    try {
      return await this.rpc.send(MembershipAuditRpc.revealNumbers, {
        communityId: path.communityId,
        personId: path.personId,
        reveal: body,
      });
    } catch (error) {
      if (error instanceof DomainException && error.code === ErrorCode.REVEAL_LIMIT_REACHED) {
        const wait = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
        throw new RevealLimitReached(error.message, wait);
      }
      throw error;
    }
  }
}

@ApiTags('membership')
@Controller('communities/:communityId/audit-log')
export class AuditLogController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  @Roles(...AUDIT_READERS)
  @Get()
  @ApiOperation({
    summary: "The community's audit log, newest first, by object, actor, action and time",
    description:
      'Append-only: owner register and areas, residents registered and moved, accounts created, positions ' +
      'appointed and ended, and reveals of ' +
      "personal numbers. `objectId` goes with `objectKind`. Community staff, owners' committee members and " +
      'district administrators.',
  })
  @ApiOkResponse({ type: AuditEntryPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: AuditQueryDto): Promise<AuditEntryPage> {
    return this.rpc.send(MembershipAuditRpc.listAuditEntries, { communityId: path.communityId, query });
  }

  @Roles(...AUDIT_READERS)
  @Get('export')
  @ApiOperation({
    summary: 'Export the audit log as CSV, with the filters of the list',
    description: 'Streamed newest first as the pages are read; UTF-8 with a byte-order mark.',
  })
  @ApiProduces(EXPORT_MEDIA_TYPES[ExportFormat.Csv])
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description: 'Column headers in Chinese (zh) or English',
  })
  @ApiOkResponse({
    description: 'The entries as CSV',
    content: { [EXPORT_MEDIA_TYPES[ExportFormat.Csv]]: { schema: { type: 'string' } } },
  })
  @ApiSecured(400)
  async export(
    @Param() path: CommunityPath,
    @Query() query: AuditExportQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { objectKind, objectId, actor, action, from, to } = query;
    const filters = { objectKind, objectId, actor, action, from, to };
    const rpc = this.rpc;
    const read = (cursor?: string) =>
      rpc.send(MembershipAuditRpc.listAuditEntries, {
        communityId: path.communityId,
        query: { ...filters, limit: EXPORT_PAGE, ...(cursor && { cursor }) },
      });
    // The first page is read before answering, so a refused or invalid export is a problem, not a broken file.
    let page = await read();
    const out = new PassThrough();
    void reply
      .header('content-type', EXPORT_MEDIA_TYPES[ExportFormat.Csv])
      .header(
        'content-disposition',
        `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .send(out);
    async function* pages(): AsyncGenerator<AuditEntryView[]> {
      for (;;) {
        yield page.items;
        if (!page.nextCursor) return;
        page = await read(page.nextCursor);
      }
    }
    writeExport(
      out,
      ExportFormat.Csv,
      'audit-log',
      AUDIT_COLUMNS,
      headerLanguage(acceptLanguage),
      pages(),
    ).catch((err: unknown) => {
      this.logger.warn({ err }, 'audit log export ended part-way');
      out.destroy(err as Error);
    });
  }
}
