import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CaseAction, CaseStatus, GridEvents, newEvent } from '@cg/contracts';
import { PeriodicSweep } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { randomUUID } from 'node:crypto';
import { decideStep, lifecycleOf } from './case-lifecycle';
import { CaseActor } from './case.schema';
import { CaseRecord, CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { ESCALATION_LADDER, nextEscalationAt } from './sla-policy';

export const ESCALATION_CLOCK: CaseActor = { sub: 'service:grid', name: 'Escalation clock' };
const OPEN = [
  CaseStatus.Reported,
  CaseStatus.Accepted,
  CaseStatus.Assigned,
  CaseStatus.InProgress,
  CaseStatus.Returned,
];
const BATCH = 200;

/** How often the clock looks for late cases; `GRID_ESCALATION_SWEEP_MS`, default one minute. */
export function sweepIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GRID_ESCALATION_SWEEP_MS;
  if (raw === undefined || raw === '') return 60_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1000 || value > 3_600_000) {
    throw new Error(`GRID_ESCALATION_SWEEP_MS must be an integer between 1000 and 3600000, got "${raw}"`);
  }
  return value;
}

/**
 * Escalates late cases one level up. The state lives in each case (level and next due time), so a
 * restarted service carries on, and every instance may sweep: the guarded update lets one win each level.
 */
@Injectable()
export class CaseEscalation implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: PeriodicSweep;
  private readonly intervalMs = sweepIntervalMs();

  constructor(
    private readonly cases: CasesRepository,
    private readonly service: CasesService,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.periodic = new PeriodicSweep('the escalation sweep', this.intervalMs, () => this.sweep(), logger);
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /**
   * One level up, as one update guarded by the level (and the status and deadline it was decided on): of two
   * instances sweeping the same case, exactly one raises each level. A step a person takes meanwhile does not
   * stop it (the guard leaves the version out); a status or deadline change does, and the next sweep decides anew.
   */
  private async escalate(record: CaseRecord, now: Date): Promise<boolean> {
    decideStep(lifecycleOf(record), CaseAction.Escalate);
    const level = record.escalationLevel + 1;
    const next = nextEscalationAt(record.dueAt, level);
    const event = newEvent(
      GridEvents.caseEscalated,
      {
        caseId: String(record._id),
        gridId: String(record.gridId),
        areaId: String(record.areaId),
        level: ESCALATION_LADDER[level],
        dueAt: record.dueAt.toISOString(),
      },
      { communityId: String(record.communityId), actor: ESCALATION_CLOCK.sub, correlationId: randomUUID() },
    );
    const written = await this.service.commit(
      record,
      { status: record.status, escalationLevel: record.escalationLevel, dueAt: record.dueAt },
      record.status,
      CaseAction.Escalate,
      ESCALATION_CLOCK,
      now,
      {
        set: { escalationLevel: level, ...(next && { nextEscalationAt: next }) },
        unset: next ? [] : ['nextEscalationAt'],
        events: [event],
      },
      `late: escalated to the ${ESCALATION_LADDER[level]}`,
    );
    return written !== undefined;
  }

  /** Escalates every case due by `now`; returns how many steps this instance took. */
  async sweep(now = new Date()): Promise<number> {
    let taken = 0;
    for (;;) {
      const due = await this.cases.dueForEscalation(now, OPEN, BATCH);
      let progressed = 0;
      for (const record of due) {
        if (await this.escalate(record, now)) {
          taken += 1;
          progressed += 1;
        }
      }
      if (due.length < BATCH || progressed === 0) break;
    }
    return taken;
  }
}
