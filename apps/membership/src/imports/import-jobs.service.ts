import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  ImportJobPage,
  ImportJobView,
  ImportStatus,
  PageQueryDto,
  Principal,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { UploadStore } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { ImportJob } from './import-job.schema';
import { ImportJobsRepository } from './import-jobs.repository';
import { ImportRejected, ImportsService } from './imports.service';

/** How long a running import's heartbeat stays valid: a worker not heard of for this long has stopped. */
export const HEARTBEAT_EXPIRY_MS = 30_000;
/** How often the running worker renews its heartbeat. */
const HEARTBEAT_MS = 10_000;
/** How often every instance looks for imports nobody finished (after a restart, after a failed attempt). */
const SWEEP_MS = 15_000;
/** Attempts that fail for reasons other than a bad row (grid unreachable, database errors) before giving up. */
const MAX_ATTEMPTS = 3;

export function toImportJobView(job: ImportJob): ImportJobView {
  return {
    id: String(job._id),
    communityId: String(job.communityId),
    status: job.status,
    rows: job.rows,
    bytes: job.bytes,
    submittedBy: job.submitter?.sub ?? '',
    submittedAt: job.submittedAt.toISOString(),
    ...(job.startedAt && { startedAt: job.startedAt.toISOString() }),
    ...(job.finishedAt && { finishedAt: job.finishedAt.toISOString() }),
    attempts: job.attempts,
    ...(job.report && { report: job.report }),
    ...(job.issues && { errors: job.issues }),
    ...(job.errorCount !== undefined && { errorCount: job.errorCount }),
    ...(job.message && { message: job.message }),
  };
}

/**
 * Residents imports as background work. Submitting reads the file at once (a file that is not CSV is refused
 * there), records the import as queued and starts it; the client follows it by id. A worker claims an import with
 * one conditional update and renews a heartbeat while it runs it, so one worker runs an import at a time; the file
 * stays in the UPLOADS object store until the import ends, so an import interrupted by a restart or a crash is
 * taken over by the next sweep of any instance once its heartbeat has expired, and because importing a file is
 * idempotent the second run completes what the first began.
 */
@Injectable()
export class ImportJobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly working = new Map<string, Promise<unknown>>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly jobs: ImportJobsRepository,
    private readonly imports: ImportsService,
    private readonly uploads: UploadStore,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
    void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    // Work in progress is left to its heartbeat: another instance takes it over once the heartbeat has expired.
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  async submit(caller: Principal, communityId: string, upload: string, bytes: number): Promise<ImportJobView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const file = await this.uploads.read(upload);
    if (!file) throw new DomainException(ErrorCode.NOT_FOUND, 'The uploaded file is not stored (expired or never sent)');
    let rows: number;
    try {
      rows = await this.imports.countRows(file);
    } catch (error) {
      await this.uploads.delete(upload).catch(() => undefined);
      throw error;
    }
    const { doc: job, created } = await this.jobs.insert({
      _id: newId('import-job'),
      communityId: community,
      upload,
      status: ImportStatus.Queued,
      rows,
      bytes,
      submitter: { sub: caller.sub, name: caller.name, roles: caller.roles, communityIds: caller.communityIds },
      submittedAt: new Date(),
      attempts: 0,
    });
    // A retried submission sent the file again: the job it made keeps its own copy.
    if (!created && job.upload !== upload) await this.uploads.delete(upload).catch(() => undefined);
    this.logger.info({ communityId, importId: String(job._id), rows, bytes, created }, 'residents import queued');
    this.take(job._id);
    return toImportJobView(job);
  }

  async get(caller: Principal, communityId: string, importId: string): Promise<ImportJobView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const job = await this.jobs.find(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      objectId(importId, ErrorCode.NOT_FOUND),
    );
    if (!job) throw new DomainException(ErrorCode.NOT_FOUND, `No import ${importId} in this community`);
    return toImportJobView(job);
  }

  async list(caller: Principal, communityId: string, page: PageQueryDto): Promise<ImportJobPage> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const found = await this.jobs.list(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), page.cursor, limit);
    return { ...found, items: found.items.map(toImportJobView) };
  }

  /** Resolves when the imports this instance is working on now have ended (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.working.size > 0) await Promise.allSettled([...this.working.values()]);
  }

  /** Claims every import that is queued or whose worker stopped, and runs those it won. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const id of await this.jobs.claimable(new Date(Date.now() - HEARTBEAT_EXPIRY_MS))) this.take(id);
    } catch (error) {
      this.logger.warn({ err: error }, 'looking for unfinished imports failed; the next sweep retries');
    }
  }

  /**
   * Claims the import and runs it; resolves true when this worker ran it, false when another worker holds it or it
   * has ended.
   */
  async run(id: Types.ObjectId): Promise<boolean> {
    const worker = randomUUID();
    const now = new Date();
    const before = await this.jobs.claim(id, worker, now, new Date(now.getTime() - HEARTBEAT_EXPIRY_MS));
    if (!before) return false;
    const job: ImportJob = { ...before, attempts: before.attempts + 1, startedAt: before.startedAt ?? now };
    let held = true;
    const heartbeat = setInterval(() => {
      void this.jobs.beat(id, worker, new Date()).then(
        (still) => (held &&= still),
        (error) => this.logger.warn({ err: error, importId: String(id) }, 'renewing an import heartbeat failed'),
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await this.work(job, worker, () => held && !this.stopped);
    } finally {
      clearInterval(heartbeat);
    }
    return true;
  }

  /** Works on the import unless this instance already is. */
  private take(id: Types.ObjectId): void {
    const key = String(id);
    if (this.stopped || this.working.has(key)) return;
    const work = this.run(id)
      .catch((error) => {
        if (!this.stopped) this.logger.error({ err: error, importId: key }, 'residents import attempt broke off');
      })
      .finally(() => this.working.delete(key));
    this.working.set(key, work);
  }

  private async work(job: ImportJob, worker: string, holding: () => boolean): Promise<void> {
    const { attempts } = job;
    const communityId = String(job.communityId);
    const log = { communityId, importId: String(job._id), attempts };
    try {
      const file = await this.uploads.read(job.upload);
      if (!file) {
        await this.finish(job, worker, { status: ImportStatus.Failed, message: 'The file is no longer stored; submit it again' });
        return;
      }
      const report = await this.imports.execute(job.submitter, communityId, file);
      await this.finish(job, worker, { status: ImportStatus.Completed, report });
    } catch (error) {
      if (!holding()) return;
      if (error instanceof ImportRejected) {
        this.logger.info({ ...log, problems: error.count }, 'residents import rejected');
        await this.finish(job, worker, {
          status: ImportStatus.Rejected,
          issues: (error.details as ImportJob['issues']) ?? [],
          errorCount: error.count,
          message: error.message,
        });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (attempts >= MAX_ATTEMPTS) {
        this.logger.error({ ...log, err: error }, 'residents import failed');
        await this.finish(job, worker, {
          status: ImportStatus.Failed,
          message: `Stopped after ${attempts} attempts: ${message}. Submitting the file again completes it.`,
        });
        return;
      }
      // Back in the queue: the next sweep (of any instance) tries again.
      this.logger.warn({ ...log, err: error }, 'residents import attempt failed; it will be retried');
      await this.jobs.release(job._id, worker, { status: ImportStatus.Queued, message });
    }
  }

  /** Records the outcome if this worker still holds the import, and then removes the file. */
  private async finish(job: ImportJob, worker: string, outcome: Partial<ImportJob>): Promise<void> {
    if (!(await this.jobs.release(job._id, worker, { ...outcome, finishedAt: new Date() }))) {
      this.logger.warn({ importId: String(job._id) }, 'another worker took the import over; its outcome is left to it');
      return;
    }
    // The file holds ID numbers and phones: it is kept no longer than the import needs it.
    await this.uploads.delete(job.upload).catch((error) =>
      this.logger.warn({ err: error, upload: job.upload }, 'removing an imported file failed; it expires on its own'),
    );
    this.logger.info({ communityId: String(job.communityId), importId: String(job._id), status: outcome.status }, 'residents import ended');
  }
}
