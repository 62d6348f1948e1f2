import { Inject, Injectable } from '@nestjs/common';
import {
  DomainException,
  ErrorCode,
  ImportCsvDto,
  ImportProblem,
  ImportReport,
  NodeKind,
  Principal,
} from '@cg/contracts';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { isDuplicateKey } from '@cg/persistence';
import { Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { HierarchyRepository } from '../hierarchy/hierarchy.repository';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { parseCsv } from './csv';
import { planImport } from './import-plan';
import { ImportFile, readImportFile } from './import-rows';
import { ImportRunsRepository } from './imports.repository';

/** The report lists this many bad rows at most, and says how many more there were. */
export const MAX_REPORTED_PROBLEMS = 1000;
/** Longer than any import of one community takes: an import older than this is taken as cut short. */
export const IMPORT_STALE_MS = 10 * 60_000;

/** Bulk import of a community's areas, grids, buildings and units from a CSV file: all of it, or none. */
@Injectable()
export class ImportsService {
  constructor(
    private readonly hierarchy: HierarchyService,
    private readonly nodes: HierarchyRepository,
    private readonly runs: ImportRunsRepository,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Validates every row, takes the community's import slot (one conditional update on the community: of two
   * imports at once one runs, the other gets CONFLICT), compares the file with what exists and writes what is new
   * in batches. No transactions: a write that fails part-way deletes what it wrote, and a run cut short by a crash
   * is undone, by the nodes' run id, by the community's next import once its slot has gone stale.
   */
  async run(caller: Principal, communityId: string, dto: ImportCsvDto): Promise<ImportReport> {
    const community = await this.hierarchy.managedCommunity(caller, communityId);
    const parsed = parseCsv(dto.csv);
    const read = readImportFile(parsed.records);
    if (parsed.problems.length > 0 || !read.file) reject([...parsed.problems, ...read.problems]);
    const file = read.file;
    if (dto.dryRun) return this.report(file, this.plan(file, await this.existing(community._id, file), community._id, ''), true);
    const importId = randomUUID();
    const startedAt = new Date();
    const taken = await this.nodes.takeImport(
      community._id,
      { importId, startedAt },
      new Date(startedAt.getTime() - IMPORT_STALE_MS),
    );
    if (!taken) {
      throw new DomainException(
        ErrorCode.CONFLICT,
        'Another import of this community is running; try again when it has finished',
      );
    }
    try {
      await this.undoUnfinished(community._id);
      const plan = this.plan(file, await this.existing(community._id, file), community._id, importId);
      if (plan.nodes.length === 0) return this.report(file, plan, false);
      const started = Date.now();
      await this.runs.start({ _id: importId, communityId: community._id, by: caller.sub, format: file.format, rows: file.rows, startedAt });
      try {
        await this.nodes.insertInBatches(plan.nodes);
      } catch (error) {
        await this.runs.finish(importId, 'failed');
        if (isDuplicateKey(error)) {
          throw new DomainException(ErrorCode.CODE_TAKEN, 'A code of the file was taken while it was imported; nothing was imported');
        }
        throw error;
      }
      await this.runs.finish(importId, 'done');
      this.logger.info({ communityId, importId, nodes: plan.nodes.length, ms: Date.now() - started }, 'hierarchy imported');
      return this.report(file, plan, false);
    } finally {
      await this.nodes.releaseImport(community._id, importId);
    }
  }

  private plan(file: ImportFile, existing: Awaited<ReturnType<ImportsService['existing']>>, communityId: Types.ObjectId, importId: string) {
    const plan = planImport(file, existing, { communityId, importId });
    if (plan.problems.length > 0) reject(plan.problems);
    return plan;
  }

  private report(file: ImportFile, plan: ReturnType<typeof planImport>, dryRun: boolean): ImportReport {
    return { format: file.format, rows: file.rows, ...plan.counts, dryRun };
  }

  /** Undoes the runs never finished: holding the slot, no other run of the community is alive. */
  private async undoUnfinished(communityId: Types.ObjectId): Promise<void> {
    for (const run of await this.runs.unfinished(communityId)) {
      const deleted = await this.nodes.deleteImported(communityId, run._id);
      await this.runs.finish(run._id, 'undone');
      this.logger.warn({ communityId: String(communityId), importId: run._id, deleted }, 'unfinished import undone');
    }
  }

  private async existing(communityId: Types.ObjectId, file: ImportFile) {
    const nodes = await this.nodes.listKinds(communityId, [NodeKind.Area, NodeKind.Grid, NodeKind.Building]);
    const buildings = nodes.filter((n) => n.kind === NodeKind.Building);
    const unitCodes = new Map<string, Set<string>>();
    if (file.format === 'units') {
      const named = new Set(file.buildings.map((b) => b.code));
      const matched = buildings.filter((b) => named.has(b.code)).map((b) => b._id);
      for (const unit of await this.nodes.unitsOf(communityId, matched)) {
        const key = String(unit.buildingId);
        unitCodes.set(key, (unitCodes.get(key) ?? new Set()).add(unit.code));
      }
    }
    return {
      areas: nodes.filter((n) => n.kind === NodeKind.Area),
      grids: nodes.filter((n) => n.kind === NodeKind.Grid),
      buildings,
      unitCodes,
    };
  }
}

function reject(problems: ImportProblem[]): never {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const listed: ImportProblem[] = sorted.slice(0, MAX_REPORTED_PROBLEMS);
  if (sorted.length > listed.length) {
    listed.push({ line: 0, field: '(file)', reason: `${sorted.length - listed.length} more problems are not listed` });
  }
  const rows = new Set(sorted.map((p) => p.line)).size;
  throw new DomainException(
    ErrorCode.IMPORT_REJECTED,
    `The file was rejected: ${rows} line${rows === 1 ? '' : 's'} with problems; nothing was imported`,
    listed,
  );
}
