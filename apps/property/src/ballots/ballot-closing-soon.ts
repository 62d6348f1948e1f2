import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicSweep } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { BALLOT_SCHEDULE, BallotSchedule } from './ballot-schedule';
import { BallotsService } from './ballots.service';

/** Tells owners a day ahead that voting ends, in every replica; each ballot's conditional update keeps it to once. */
@Injectable()
export class BallotClosingSoon implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: PeriodicSweep;

  constructor(
    private readonly ballots: BallotsService,
    @Inject(BALLOT_SCHEDULE) schedule: BallotSchedule,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.periodic = new PeriodicSweep('announcing ballots closing soon', schedule.sweepMs, () => this.announce(), logger);
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

  private async announce(): Promise<void> {
    const queued = await this.ballots.announceClosingSoon();
    if (queued > 0) this.logger.info({ queued }, 'announced ballots closing within a day');
  }
}
