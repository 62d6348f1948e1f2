import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { DEAD_LETTER_PREFIX, DOMAIN_EVENTS_STREAM, EventContract, EventEnvelope } from '@cg/contracts';
import { Logger, Metrics, PINO_LOGGER, runInScope } from '@cg/observability';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg, JSONCodec, nanos } from 'nats';
import { NatsConnection } from './nats-connection';

export interface DurableConsumerSpec<T> {
  /** Durable name, unique per service and purpose, e.g. `grid-residents`. */
  durable: string;
  event: EventContract<T>;
  /** Must be idempotent: delivery is at least once. */
  handle(event: EventEnvelope<T>): Promise<void>;
  maxDeliver?: number;
  ackWaitMs?: number;
}

const codec = JSONCodec<unknown>();

/** Durable, explicit-ack JetStream consumers with bounded redelivery and a dead-letter subject. */
@Injectable()
export class DurableConsumers implements BeforeApplicationShutdown {
  private readonly running: { messages: ConsumerMessages; done: Promise<void> }[] = [];

  constructor(
    private readonly nats: NatsConnection,
    private readonly metrics: Metrics,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async start<T>(spec: DurableConsumerSpec<T>): Promise<void> {
    const maxDeliver = spec.maxDeliver ?? 5;
    const config = {
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: spec.event.type,
      max_deliver: maxDeliver,
      ack_wait: nanos(spec.ackWaitMs ?? 30_000),
    };
    try {
      await this.nats.jsm.consumers.add(DOMAIN_EVENTS_STREAM, config);
    } catch {
      await this.nats.jsm.consumers.update(DOMAIN_EVENTS_STREAM, spec.durable, config);
    }
    const consumer = await this.nats.js.consumers.get(DOMAIN_EVENTS_STREAM, spec.durable);
    const messages = await consumer.consume({ max_messages: 64 });
    const done = (async () => {
      for await (const message of messages) await this.deliver(spec, message, maxDeliver);
    })().catch((error) => this.logger.error({ err: error, durable: spec.durable }, 'consumer stopped'));
    this.running.push({ messages, done });
    this.logger.info({ durable: spec.durable, subject: spec.event.type }, 'durable consumer started');
  }

  private async deliver<T>(spec: DurableConsumerSpec<T>, message: JsMsg, maxDeliver: number): Promise<void> {
    let event: EventEnvelope<T>;
    try {
      event = codec.decode(message.data) as EventEnvelope<T>;
      if (!event?.id || !event.type) throw new Error('not an event envelope');
    } catch (error) {
      return this.deadLetter(spec.durable, message, error as Error);
    }
    try {
      await runInScope({ correlationId: event.correlationId }, () => spec.handle(event));
      message.ack();
      this.metrics.eventsConsumed.inc({ consumer: spec.durable, outcome: 'ack' });
    } catch (error) {
      const attempt = message.info.redeliveryCount;
      if (attempt >= maxDeliver) return this.deadLetter(spec.durable, message, error as Error, event.id);
      this.logger.warn({ err: error, durable: spec.durable, eventId: event.id, attempt }, 'event handler failed, will retry');
      this.metrics.eventsConsumed.inc({ consumer: spec.durable, outcome: 'retry' });
      message.nak(Math.min(1000 * 2 ** (attempt - 1), 30_000));
    }
  }

  private async deadLetter(durable: string, message: JsMsg, error: Error, eventId?: string): Promise<void> {
    const letter = {
      consumer: durable,
      subject: message.subject,
      streamSequence: message.seq,
      deliveries: message.info.redeliveryCount,
      error: error.message,
      payload: Buffer.from(message.data).toString('utf8'),
    };
    // The dead letter is stored before the original is terminated, so a crash in between only retries.
    await this.nats.js.publish(`${DEAD_LETTER_PREFIX}.${durable}`, codec.encode(letter), {
      msgID: `${durable}:${message.seq}`,
    });
    message.term();
    this.metrics.eventsConsumed.inc({ consumer: durable, outcome: 'dead_letter' });
    this.logger.error({ durable, eventId, err: error }, 'event moved to the dead-letter subject');
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const { messages } of this.running) await messages.close();
    await Promise.all(this.running.map(({ done }) => done));
  }
}
