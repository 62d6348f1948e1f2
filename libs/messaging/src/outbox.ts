import { EventEnvelope } from '@cg/contracts';
import { Logger } from '@cg/observability';
import type { Collection, Document } from 'mongodb';
import { EventPublisher } from './publisher';

/** The field a document keeps its not-yet-published events in, written in the same update as the change. */
export const OUTBOX_FIELD = 'outbox';

export interface WithOutbox {
  outbox: EventEnvelope[];
}

/**
 * Publishes events kept in documents' embedded outbox, then removes each one.
 * A crash after the write but before the publish leaves the event in the document, and the next sweep
 * (of this or any instance) publishes it. A crash after the publish but before the removal publishes it
 * again with the same message id, which JetStream drops.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;

  constructor(
    private readonly collection: Collection<Document>,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly sweepMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.sweepMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  /** Asks for a drain soon; called right after a write so events leave without waiting for the sweep. */
  kick(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drain()
      .catch((error) => this.logger.warn({ err: error }, 'outbox drain failed; the next sweep retries'))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          void this.kick();
        }
      });
    return this.draining;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const docs = await this.collection
        .find({ [`${OUTBOX_FIELD}.0`]: { $exists: true } }, { projection: { [OUTBOX_FIELD]: 1 } })
        .limit(100)
        .toArray();
      if (docs.length === 0) return;
      for (const doc of docs) {
        for (const event of doc[OUTBOX_FIELD] as EventEnvelope[]) {
          await this.publisher.publish(event);
          // Pull by the exact stored value: FerretDB v1 has no condition form of $pull.
          await this.collection.updateOne({ _id: doc._id }, { $pull: { [OUTBOX_FIELD]: event } as never });
        }
      }
    }
  }
}
