import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicSweep } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { BALLOT_SCHEDULE, BallotSchedule } from './ballot-schedule';
import { BallotsService } from './ballots.service';

/** Closes ballots at their closing time, in every replica; the ballots' conditional updates keep it to one close each. */
@Injectable()
export class BallotCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: PeriodicSweep;

  constructor(
    private readonly ballots: BallotsService,
    @Inject(BALLOT_SCHEDULE) schedule: BallotSchedule,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.periodic = new PeriodicSweep('closing due ballots', schedule.sweepMs, () => this.closeDue(), logger);
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** One sweep at a time per replica; a failed sweep is retried by the next. */
  sweep(): Promise<void> {
    return this.periodic.run();
  }

  private async closeDue(): Promise<void> {
    const closed = await this.ballots.closeDue();
    if (closed > 0) this.logger.info({ closed }, 'closed ballots at their closing time');
  }
}
