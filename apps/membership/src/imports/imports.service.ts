import { Inject, Injectable } from '@nestjs/common';
import {
  COMMUNITY_UNITS_MAX_PAGE,
  DomainException,
  ErrorCode,
  GridRpc,
  IMPORT_MAX_CSV_BYTES,
  IMPORT_MAX_ISSUES,
  IMPORT_MAX_ROWS,
  ImportIssue,
  ImportReportView,
  Principal,
  RecordOwnershipDto,
  UnitView,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { createHash } from 'node:crypto';
import { formatHundredths } from '../quantities/hundredths';
import { ImportedOwnership, OwnershipService } from '../ownership/ownership.service';
import { ImportedResident, ResidentsService } from '../residents/residents.service';
import { CsvEncodingError, CsvRecord, CsvSyntaxError, readCsv } from './csv';
import { ImportPlan, PlannedResident, planImport, readRows } from './import-rules';

/** Grid reads a large community's units in a few big pages; an import waits longer for them than a click would. */
const GRID_TIMEOUT_MS = 30_000;

/** A row's person id: the same community, unit and phone always give the same id, so a re-import stores nothing new. */
export function importedPersonId(communityId: string, unitId: string, phone: string): string {
  return createHash('sha256').update(`${communityId}:${unitId}:${phone}`).digest('hex').slice(0, 24);
}

/** A file refused as a whole: `details` holds the first problems, `count` all of them. Nothing was stored. */
export class ImportRejected extends DomainException {
  constructor(
    issues: ImportIssue[],
    rows: number,
    readonly count = issues.length,
  ) {
    const lines = new Set(issues.map((i) => i.line)).size;
    const shown = issues.slice(0, IMPORT_MAX_ISSUES);
    super(
      ErrorCode.IMPORT_REJECTED,
      `The file was rejected and nothing was imported: ${issues.length} problems on ${lines} of ${rows + 1} lines` +
        (shown.length < issues.length ? `; the first ${shown.length} are listed` : ''),
      shown,
    );
  }
}

/**
 * Bulk import of residents and owners from a community's spreadsheet. There are no transactions, so every row is
 * checked before anything is written; then residents are inserted (keyed by community, unit and phone) and the
 * owners recorded. If the process stops half-way, importing the same file again completes it: rows already
 * stored are skipped and units already recorded as in the file are left alone. ImportJobsService runs it in the
 * background and resumes it after a restart.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly residents: ResidentsService,
    private readonly ownership: OwnershipService,
    private readonly rpc: RpcClient,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  /** Reads the whole file as it streams in and answers its number of rows; a file that is not CSV is rejected. */
  async countRows(file: AsyncIterable<Uint8Array>): Promise<number> {
    let records = 0;
    for await (const record of this.records(file)) if (record) records += 1;
    if (records === 0) throw new ImportRejected([{ line: 1, field: 'file', reason: 'the file is empty' }], 0);
    return records - 1;
  }

  /**
   * Checks every row as the file streams in, then stores the residents and owners on behalf of `caller`; a bad
   * row rejects the file.
   */
  async execute(caller: Principal, communityId: string, file: AsyncIterable<Uint8Array>): Promise<ImportReportView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const started = Date.now();
    const { rows, issues, rowCount } = await readRows(this.records(file));
    const units = rows.length > 0 ? await this.unitsOf(communityId) : new Map<string, UnitView>();
    const stored = await this.residents.identitiesOf(communityId);
    const planned = planImport(rows, (building, unit) => units.get(`${building}\u0000${unit}`)?.id, stored);
    const all = [...issues, ...planned.issues].sort((a, b) => a.line - b.line);
    if (all.length > 0) throw new ImportRejected(all, rowCount);

    const report = await this.write(caller, communityId, planned.plan, units);
    this.logger.info(
      { communityId, rows: rowCount, ms: Date.now() - started, ...report },
      'residents imported',
    );
    return { rows: rowCount, ...report };
  }

  /**
   * The file's records, header first, as they are read. A file larger than allowed, not UTF-8, not CSV or with too
   * many rows is rejected; the rows past the limit are only counted.
   */
  private async *records(file: AsyncIterable<Uint8Array>): AsyncGenerator<CsvRecord> {
    let bytes = 0;
    const limited = async function* () {
      for await (const chunk of file) {
        bytes += chunk.length;
        if (bytes > IMPORT_MAX_CSV_BYTES) {
          throw new ImportRejected([{ line: 0, field: 'file', reason: `larger than ${IMPORT_MAX_CSV_BYTES} bytes` }], 0);
        }
        yield chunk;
      }
    };
    let count = 0;
    let beyond: number | undefined;
    try {
      for await (const record of readCsv(limited())) {
        count += 1;
        if (count > IMPORT_MAX_ROWS + 1) beyond ??= record.line;
        else yield record;
      }
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new ImportRejected([{ line: error.line, field: 'file', reason: error.message }], 0);
      if (error instanceof CsvEncodingError) throw new ImportRejected([{ line: 0, field: 'file', reason: error.message }], 0);
      throw error;
    }
    if (beyond !== undefined) {
      throw new ImportRejected([{ line: beyond, field: 'file', reason: `more than ${IMPORT_MAX_ROWS} rows` }], count - 1);
    }
  }

  /** Every unit of the community by building and unit code, in grid's large pages rather than one call per building. */
  private async unitsOf(communityId: string): Promise<Map<string, UnitView>> {
    const units = new Map<string, UnitView>();
    let cursor: string | undefined;
    do {
      const page = await this.rpc.send(
        GridRpc.listCommunityUnits,
        { communityId, page: { limit: COMMUNITY_UNITS_MAX_PAGE, ...(cursor && { cursor }) } },
        { timeoutMs: GRID_TIMEOUT_MS },
      );
      for (const unit of page.items) units.set(`${unit.buildingCode}\u0000${unit.code}`, unit);
      cursor = page.nextCursor;
    } while (cursor);
    return units;
  }

  private async write(
    caller: Principal,
    communityId: string,
    plan: ImportPlan,
    units: Map<string, UnitView>,
  ): Promise<Omit<ImportReportView, 'rows'>> {
    const unitOf = (r: PlannedResident) => units.get(`${r.building}\u0000${r.unit}`)!;
    const personIdOf = (r: PlannedResident) =>
      r.existingPersonId ?? importedPersonId(communityId, r.unitId, r.phone);
    // Rows stored by an earlier import of theirs go along too, so their events are published again if a crash
    // left them out; rows registered by hand are left alone.
    const toImported = (r: PlannedResident): ImportedResident => {
      const unit = unitOf(r);
      return {
        personId: personIdOf(r),
        name: r.name,
        phone: r.phone,
        ...(r.idNumber && { idNumber: r.idNumber }),
        unitId: unit.id,
        buildingId: unit.buildingId,
        gridId: unit.gridId,
        relation: r.relation,
      };
    };
    const residentsCreated = await this.residents.importMany(
      caller,
      communityId,
      plan.residents.filter((r) => !r.existingPersonId).map(toImported),
      plan.residents
        .filter((r) => r.existingPersonId === importedPersonId(communityId, r.unitId, r.phone))
        .map(toImported),
    );
    const ownerships: ImportedOwnership[] = plan.ownerships.map((o) => {
      const owners = o.owners.map(personIdOf).sort();
      const area = formatHundredths(o.areaHundredths);
      const ownership: RecordOwnershipDto = {
        ownerPersonIds: owners,
        ...(o.voter && { voterPersonId: personIdOf(o.voter) }),
        ...(o.areaSource === 'register' && { registerArea: area }),
        ...(o.areaSource === 'surveyed' && { surveyedArea: area }),
        ...(o.areaSource === 'contract' && { contractArea: area }),
      };
      return {
        unit: unitOf(o.owners[0]),
        ownership,
        ownerNames: Object.fromEntries(o.owners.map((r) => [personIdOf(r), r.name])),
      };
    });
    const { recorded, unchanged } = await this.ownership.recordMany(caller, communityId, ownerships);
    return {
      residentsCreated,
      residentsExisting: plan.residents.length - residentsCreated,
      ownershipsRecorded: recorded,
      ownershipsUnchanged: unchanged,
    };
  }
}
