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
 * Right after a write, `kick(id)` publishes that document's events (a lookup by _id). A crash after the write
 * but before the publish leaves the event in the document, and the next sweep (of this or any instance)
 * publishes it. A crash after the publish but before the removal publishes it again with the same message id,
 * which JetStream drops. The sweep scans the collection, which FerretDB v1 does without indexes, so it runs
 * seldom; it is the recovery path, not the delivery path.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly collection: Collection<Document>,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly sweepMs = 15_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.sweepMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  /**
   * Called right after a write: publishes the events of document `id` now. Without an id it asks for a sweep
   * of the whole collection.
   */
  kick(id?: unknown): Promise<void> {
    if (id !== undefined) {
      return this.deliver(id).catch((error) =>
        this.logger.warn({ err: error }, 'outbox delivery failed; the next sweep retries'),
      );
    }
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drain()
      .catch((error) => this.logger.warn({ err: error }, 'outbox drain failed; the next sweep retries'))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          // Writes that arrived during a sweep get one more, a moment later: a burst costs a few scans, not one each.
          this.again = false;
          setTimeout(() => this.stopped || void this.kick(), 200).unref();
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
      for (const doc of docs) await this.publishAll(doc);
    }
  }

  private async deliver(id: unknown): Promise<void> {
    const doc = await this.collection.findOne({ _id: id as never }, { projection: { [OUTBOX_FIELD]: 1 } });
    if (doc) await this.publishAll(doc);
  }

  private async publishAll(doc: Document): Promise<void> {
    for (const event of (doc[OUTBOX_FIELD] ?? []) as EventEnvelope[]) {
      await this.publisher.publish(event);
      // Pull by the exact stored value: FerretDB v1 has no condition form of $pull.
      await this.collection.updateOne({ _id: doc._id }, { $pull: { [OUTBOX_FIELD]: event } as never });
    }
  }
}
