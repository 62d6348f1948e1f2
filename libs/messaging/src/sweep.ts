import { Logger } from '@cg/observability';

/**
 * A periodic job every replica runs (closing due ballots, escalating late cases, reminders): one run at a time per
 * process, and a failed run is retried by the next tick. The job's own conditional updates keep each of its effects
 * to one across replicas, so no replica needs to be elected to run it.
 */
export class PeriodicSweep {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly job: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the job now, or joins the run under way. */
  run(): Promise<void> {
    this.running ??= this.job()
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn({ err: error, sweep: this.name }, `${this.name} failed; the next sweep retries`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops the ticks and waits for a run under way, so a shutdown never cuts a sweep's write in half. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
