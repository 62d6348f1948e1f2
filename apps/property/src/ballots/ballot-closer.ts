import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicSweep } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { BALLOT_SCHEDULE, BallotSchedule } from './ballot-schedule';
import { BallotsService } from './ballots.service';

/**
 * The ballots' clock, in every replica: tells owners a day ahead that voting ends, and closes ballots at their closing
 * time. Each ballot's conditional updates keep both to once, whatever the number of replicas.
 */
@Injectable()
export class BallotCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sweeps: PeriodicSweep[];

  constructor(
    private readonly ballots: BallotsService,
    @Inject(BALLOT_SCHEDULE) schedule: BallotSchedule,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.sweeps = [
      new PeriodicSweep('closing due ballots', schedule.sweepMs, () => this.closeDue(), logger),
      new PeriodicSweep('announcing ballots closing soon', schedule.sweepMs, () => this.announceClosingSoon(), logger),
    ];
  }

  onApplicationBootstrap(): void {
    for (const sweep of this.sweeps) sweep.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.sweeps.map((sweep) => sweep.stop()));
  }

  private async closeDue(): Promise<void> {
    const closed = await this.ballots.closeDue();
    if (closed > 0) this.logger.info({ closed }, 'closed ballots at their closing time');
  }

  private async announceClosingSoon(): Promise<void> {
    const queued = await this.ballots.announceClosingSoon();
    if (queued > 0) this.logger.info({ queued }, 'announced ballots closing within a day');
  }
}
