import {
  BeforeApplicationShutdown,
  DynamicModule,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getModelToken } from '@nestjs/mongoose';
import { EventEnvelope } from '@cg/contracts';
import { Logger, PINO_LOGGER, currentTraceCarrier, tracingEnabled } from '@cg/observability';
import type { Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';
import { EventPublisher, OutboxEvent } from './publisher';

/** The field a document keeps its not-yet-published events in, written in the same update as the change. */
export const OUTBOX_FIELD = 'outbox';

export interface WithOutbox {
  outbox: EventEnvelope[];
}

/** The part of an update that carries the events a change causes: they are stored by the same write, or not at all. */
export function pushEvents(...events: EventEnvelope[]): { $push: { outbox: { $each: EventEnvelope[] } } } {
  // The write's trace context is stored with each event, so its publish and consumers' spans trace back to it.
  const trace = tracingEnabled() ? currentTraceCarrier() : undefined;
  const stored: OutboxEvent[] = trace ? events.map((event) => ({ ...event, trace })) : events;
  return { $push: { [OUTBOX_FIELD]: { $each: stored } } } as {
    $push: { outbox: { $each: EventEnvelope[] } };
  };
}

/**
 * Publishes the events kept in one collection's embedded outbox, then removes each one.
 * Right after a write, `deliver(id)` publishes that document's events (a lookup by _id). A crash after the write
 * but before the publish leaves the event in the document, and the next sweep (of this or any instance)
 * publishes it. A crash after the publish but before the removal publishes it again with the same message id,
 * which JetStream drops. The sweep is the recovery path, not the delivery path, so it runs seldom.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly collection: Collection<Document>,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly sweepMs = 15_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  /** Publishes the events of document `id` now; a failure is left to the next sweep. */
  deliver(id: unknown): Promise<void> {
    return this.collection
      .findOne({ _id: id as never }, { projection: { [OUTBOX_FIELD]: 1 } })
      .then((doc) => (doc ? this.publishAll(doc) : undefined))
      .catch((error) => this.logger.warn({ err: error }, 'outbox delivery failed; the next sweep retries'));
  }

  /** Publishes every event still held in the collection. */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.draining ??= this.drain()
      .catch((error) => this.logger.warn({ err: error }, 'outbox sweep failed; the next sweep retries'))
      .finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const docs = await this.collection
        .find({ [`${OUTBOX_FIELD}.0`]: { $exists: true } }, { projection: { [OUTBOX_FIELD]: 1 } })
        .limit(100)
        .toArray();
      if (docs.length === 0 || this.stopped) return;
      for (const doc of docs) await this.publishAll(doc);
    }
  }

  private async publishAll(doc: Document): Promise<void> {
    for (const event of (doc[OUTBOX_FIELD] ?? []) as OutboxEvent[]) {
      await this.publisher.publish(event);
      await this.collection.updateOne(
        { _id: doc._id },
        { $pull: { [OUTBOX_FIELD]: { id: event.id } } as never },
      );
    }
  }
}

/** The relays of one feature's collections, started with the application and drained before it stops. */
export class Outbox implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relays = new Map<string, OutboxRelay>();

  constructor(
    private readonly modelNames: string[],
    private readonly moduleRef: ModuleRef,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly sweepMs: number,
  ) {}

  /** The models are the feature's own (registered by its MongooseModule.forFeature), found once every module exists. */
  onModuleInit(): void {
    for (const name of this.modelNames) {
      const model = this.moduleRef.get<Model<unknown>>(getModelToken(name), { strict: false });
      const collection = model.collection as unknown as Collection<Document>;
      this.relays.set(name, new OutboxRelay(collection, this.publisher, this.logger, this.sweepMs));
    }
  }

  onApplicationBootstrap(): void {
    for (const relay of this.relays.values()) relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.relays.values()].map((relay) => relay.stop()));
  }

  /** Called right after a write that pushed events to document `id` of model `modelName`. */
  deliver(modelName: string, id: unknown): Promise<void> {
    const relay = this.relays.get(modelName);
    if (!relay) throw new Error(`no outbox relay for ${modelName}; add it to OutboxModule.forFeature`);
    return relay.deliver(id);
  }

  /** Publishes every event still held in the given model's collection (tests, recovery). */
  sweep(modelName: string): Promise<void> {
    return this.relays.get(modelName)?.sweep() ?? Promise.resolve();
  }
}

/**
 * One outbox for mongoose models a feature module registers: `OutboxModule.forFeature([Activity.name])` gives the
 * module an `Outbox` whose relays publish those collections' embedded events.
 */
@Module({})
export class OutboxModule {
  static forFeature(
    modelNames: string[],
    sweepMs = Number(process.env.OUTBOX_SWEEP_MS ?? 15_000),
  ): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        {
          provide: Outbox,
          inject: [ModuleRef, EventPublisher, PINO_LOGGER],
          useFactory: (moduleRef: ModuleRef, publisher: EventPublisher, logger: Logger) =>
            new Outbox(modelNames, moduleRef, publisher, logger, sweepMs),
        },
      ],
      exports: [Outbox],
    };
  }
}
