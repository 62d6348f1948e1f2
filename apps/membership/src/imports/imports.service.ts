import { Inject, Injectable } from '@nestjs/common';
import {
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
import { gunzipSync } from 'node:zlib';
import { formatHundredths } from '../quantities/hundredths';
import { ImportedOwnership, OwnershipService } from '../ownership/ownership.service';
import { ImportedResident, ResidentsService } from '../residents/residents.service';
import { CsvSyntaxError, parseCsv } from './csv';
import { ImportPlan, PlannedResident, planImport, readRows } from './import-rules';

const UNIT_PAGE = 200;
const PARALLEL_BUILDINGS = 4;
/** Grid scans its units for each page on the embedded test database; an import waits longer than a click would. */
const GRID_TIMEOUT_MS = 30_000;

/** A row's person id: the same community, unit and phone always give the same id, so a re-import stores nothing new. */
export function importedPersonId(communityId: string, unitId: string, phone: string): string {
  return createHash('sha256').update(`${communityId}:${unitId}:${phone}`).digest('hex').slice(0, 24);
}

function rejected(issues: ImportIssue[], rows: number): DomainException {
  const lines = new Set(issues.map((i) => i.line)).size;
  const shown = issues.slice(0, IMPORT_MAX_ISSUES);
  return new DomainException(
    ErrorCode.IMPORT_REJECTED,
    `The file was rejected and nothing was imported: ${issues.length} problems on ${lines} of ${rows + 1} lines` +
      (shown.length < issues.length ? `; the first ${shown.length} are listed` : ''),
    shown,
  );
}

/**
 * Bulk import of residents and owners from a community's spreadsheet. There are no transactions, so every row is
 * checked before anything is written; then residents are inserted (keyed by community, unit and phone) and the
 * owners recorded. If the process stops half-way, importing the same file again completes it: rows already
 * stored are skipped and units already recorded as in the file are left alone.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly residents: ResidentsService,
    private readonly ownership: OwnershipService,
    private readonly rpc: RpcClient,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async importResidents(
    caller: Principal,
    communityId: string,
    csvGzipBase64: string,
  ): Promise<ImportReportView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const started = Date.now();
    const records = this.read(csvGzipBase64);
    const rowCount = Math.max(records.length - 1, 0);
    if (rowCount > IMPORT_MAX_ROWS) {
      throw rejected(
        [
          {
            line: records[IMPORT_MAX_ROWS + 1].line,
            field: 'file',
            reason: `more than ${IMPORT_MAX_ROWS} rows`,
          },
        ],
        rowCount,
      );
    }
    const { rows, issues } = readRows(records);
    const units = await this.unitsOf(communityId, new Set(rows.map((r) => r.building)));
    const stored = await this.residents.identitiesOf(communityId);
    const planned = planImport(rows, (building, unit) => units.get(`${building}\u0000${unit}`)?.id, stored);
    const all = [...issues, ...planned.issues].sort((a, b) => a.line - b.line);
    if (all.length > 0) throw rejected(all, rowCount);

    const report = await this.write(caller, communityId, planned.plan, units);
    this.logger.info(
      { communityId, rows: rowCount, ms: Date.now() - started, ...report },
      'residents imported',
    );
    return { rows: rowCount, ...report };
  }

  private read(csvGzipBase64: string) {
    let text: string;
    try {
      text = gunzipSync(Buffer.from(csvGzipBase64 ?? '', 'base64'), {
        maxOutputLength: IMPORT_MAX_CSV_BYTES,
      }).toString('utf8');
    } catch {
      throw rejected(
        [
          {
            line: 0,
            field: 'file',
            reason: `not a gzip-compressed text of at most ${IMPORT_MAX_CSV_BYTES} bytes`,
          },
        ],
        0,
      );
    }
    try {
      return parseCsv(text);
    } catch (error) {
      if (error instanceof CsvSyntaxError)
        throw rejected([{ line: error.line, field: 'file', reason: error.message }], 0);
      throw error;
    }
  }

  /** The units of the buildings the file names, by building and unit code, one page of grid at a time. */
  private async unitsOf(communityId: string, buildingCodes: Set<string>): Promise<Map<string, UnitView>> {
    const units = new Map<string, UnitView>();
    if (buildingCodes.size === 0) return units;
    const hierarchy = await this.rpc.send(
      GridRpc.getHierarchy,
      { communityId },
      { timeoutMs: GRID_TIMEOUT_MS },
    );
    const buildings = hierarchy.areas
      .flatMap((a) => a.grids)
      .flatMap((g) => g.buildings)
      .filter((b) => buildingCodes.has(b.code));
    const queue = [...buildings];
    const worker = async () => {
      for (let building = queue.shift(); building; building = queue.shift()) {
        let cursor: string | undefined;
        do {
          const page = await this.rpc.send(
            GridRpc.listUnits,
            {
              communityId,
              buildingId: building.id,
              page: { limit: UNIT_PAGE, ...(cursor && { cursor }) },
            },
            { timeoutMs: GRID_TIMEOUT_MS },
          );
          for (const unit of page.items) units.set(`${building.code}\u0000${unit.code}`, unit);
          cursor = page.nextCursor;
        } while (cursor);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_BUILDINGS }, worker));
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
