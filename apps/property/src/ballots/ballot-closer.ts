import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { BALLOT_SCHEDULE, BallotSchedule } from './ballot-schedule';
import { BallotsService } from './ballots.service';

/** Closes ballots at their closing time, in every replica; the ballots' conditional updates keep it to one close each. */
@Injectable()
export class BallotCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly ballots: BallotsService,
    @Inject(BALLOT_SCHEDULE) private readonly schedule: BallotSchedule,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.schedule.sweepMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep at a time per replica; a failed sweep is retried by the next. */
  sweep(): Promise<void> {
    this.running ??= this.ballots
      .closeDue()
      .then((closed) => {
        if (closed > 0) this.logger.info({ closed }, 'closed ballots at their closing time');
      })
      .catch((error) => this.logger.warn({ err: error }, 'closing due ballots failed; the next sweep retries'))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
