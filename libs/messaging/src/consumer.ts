import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { DEAD_LETTER_PREFIX, DOMAIN_EVENTS_STREAM, EventContract, EventEnvelope } from '@cg/contracts';
import {
  Logger,
  Metrics,
  PINO_LOGGER,
  SERVICE_CONFIG,
  ServiceConfig,
  Span,
  SpanKind,
  Tracer,
  contextFromCarrier,
  endSpan,
  extractFromHeaders,
  linkTo,
  runInScope,
  tracer,
  tracingEnabled,
  withSpan,
} from '@cg/observability';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg, JSONCodec, nanos } from 'nats';
import { NatsConnection } from './nats-connection';
import { ORIGIN_TRACEPARENT_HEADER } from './publisher';

export interface DurableConsumerSpec<T> {
  /** Durable name, unique per service and purpose, e.g. `grid-residents`. */
  durable: string;
  event: EventContract<T>;
  /** Must be idempotent: delivery is at least once. */
  handle(event: EventEnvelope<T>): Promise<void>;
  /**
   * Optional, for high-volume followers: handles the events waiting at once (up to `batchSize`) in one go, e.g. one
   * insertMany instead of a write per event (one round trip and one commit for the batch). Must be
   * idempotent like `handle`. When it throws, each event of the batch goes through `handle` on its own, with the
   * usual retries and dead-lettering.
   */
  handleBatch?(events: EventEnvelope<T>[]): Promise<void>;
  /** Events one `handleBatch` call may take; 200 by default. */
  batchSize?: number;
  maxDeliver?: number;
  ackWaitMs?: number;
}

const codec = JSONCodec<unknown>();

/** Durable, explicit-ack JetStream consumers with bounded redelivery and a dead-letter subject. */
@Injectable()
export class DurableConsumers implements BeforeApplicationShutdown {
  private readonly running: { messages: ConsumerMessages; done: Promise<void> }[] = [];
  private readonly spans: Tracer;

  constructor(
    private readonly nats: NatsConnection,
    private readonly metrics: Metrics,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.spans = tracer(config.service);
  }

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
    const batchSize = spec.handleBatch ? (spec.batchSize ?? 200) : 1;
    const messages = await consumer.consume({ max_messages: Math.max(64, batchSize) });
    const done = (
      spec.handleBatch
        ? this.consumeInBatches(spec, messages, maxDeliver, batchSize)
        : (async () => {
            for await (const message of messages) await this.deliver(spec, message, maxDeliver);
          })()
    ).catch((error) => this.logger.error({ err: error, durable: spec.durable }, 'consumer stopped'));
    this.running.push({ messages, done });
    this.logger.info({ durable: spec.durable, subject: spec.event.type }, 'durable consumer started');
  }

  /**
   * Receiving and handling run side by side: while a batch is handled, the next messages gather (at most two
   * batches' worth, so nothing waits past its ack deadline), and the next batch takes whatever is there. A lone
   * event is handled at once, alone.
   */
  private async consumeInBatches<T>(
    spec: DurableConsumerSpec<T>,
    messages: ConsumerMessages,
    maxDeliver: number,
    batchSize: number,
  ): Promise<void> {
    const queue: JsMsg[] = [];
    let closed = false;
    let wake: (() => void) | undefined;
    let room: (() => void) | undefined;
    const handler = (async () => {
      for (;;) {
        if (queue.length === 0) {
          if (closed) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const batch = queue.splice(0, batchSize);
        room?.();
        await this.deliverBatch(spec, batch, maxDeliver);
      }
    })();
    try {
      for await (const message of messages) {
        queue.push(message);
        wake?.();
        while (queue.length >= 2 * batchSize) await new Promise<void>((resolve) => (room = resolve));
        room = undefined;
      }
    } finally {
      closed = true;
      wake?.();
      await handler;
    }
  }

  private async deliverBatch<T>(spec: DurableConsumerSpec<T>, batch: JsMsg[], maxDeliver: number): Promise<void> {
    const decoded: { message: JsMsg; event: EventEnvelope<T> }[] = [];
    for (const message of batch) {
      try {
        const event = codec.decode(message.data) as EventEnvelope<T>;
        if (!event?.id || !event.type) throw new Error('not an event envelope');
        decoded.push({ message, event });
      } catch (error) {
        await this.deadLetter(spec.durable, message, error as Error);
      }
    }
    if (decoded.length === 0) return;
    if (decoded.length > 1) {
      // One span for the batch, linked to the publish of each of its events.
      const span = tracingEnabled()
        ? this.spans.startSpan(`process ${spec.event.type}`, {
            kind: SpanKind.CONSUMER,
            attributes: { ...consumeAttributes(spec.durable, spec.event.type), 'messaging.batch.message_count': decoded.length },
            links: decoded.flatMap(({ message }) => linkTo(extractFromHeaders(message.headers))),
          })
        : undefined;
      try {
        const events = decoded.map((d) => d.event);
        await withSpan(span, () => spec.handleBatch!(events));
        for (const { message } of decoded) message.ack();
        this.metrics.eventsConsumed.inc({ consumer: spec.durable, outcome: 'ack' }, decoded.length);
        if (span) endSpan(span, 'ok');
        return;
      } catch (error) {
        if (span) endSpan(span, 'retry');
        this.logger.warn({ err: error, durable: spec.durable, events: decoded.length }, 'batch failed; handling its events one by one');
      }
    }
    for (const { message } of decoded) await this.deliver(spec, message, maxDeliver);
  }

  private async deliver<T>(spec: DurableConsumerSpec<T>, message: JsMsg, maxDeliver: number): Promise<void> {
    let event: EventEnvelope<T>;
    try {
      event = codec.decode(message.data) as EventEnvelope<T>;
      if (!event?.id || !event.type) throw new Error('not an event envelope');
    } catch (error) {
      return this.deadLetter(spec.durable, message, error as Error);
    }
    const span = tracingEnabled() ? this.processSpan(spec, message, event) : undefined;
    const handle = () => runInScope({ correlationId: event.correlationId }, () => spec.handle(event));
    try {
      await withSpan(span, handle);
      message.ack();
      this.metrics.eventsConsumed.inc({ consumer: spec.durable, outcome: 'ack' });
      if (span) endSpan(span, 'ok');
    } catch (error) {
      if (span) endSpan(span, message.info.redeliveryCount >= maxDeliver ? 'dead_letter' : 'retry');
      const attempt = message.info.redeliveryCount;
      if (attempt >= maxDeliver) return this.deadLetter(spec.durable, message, error as Error, event.id);
      this.logger.warn({ err: error, durable: spec.durable, eventId: event.id, attempt }, 'event handler failed, will retry');
      this.metrics.eventsConsumed.inc({ consumer: spec.durable, outcome: 'retry' });
      message.nak(Math.min(1000 * 2 ** (attempt - 1), 30_000));
    }
  }

  /**
   * A consumer span, child of the event's publish (W3C trace context in the message headers) and linked to the write
   * that stored it.
   */
  private processSpan<T>(spec: DurableConsumerSpec<T>, message: JsMsg, event: EventEnvelope<T>): Span {
    const origin = message.headers?.get(ORIGIN_TRACEPARENT_HEADER);
    return this.spans.startSpan(
      `process ${event.type}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { ...consumeAttributes(spec.durable, spec.event.type), 'messaging.message.id': event.id, 'messaging.delivery.attempt': message.info.redeliveryCount },
        links: origin ? linkTo(contextFromCarrier({ traceparent: origin })) : [],
      },
      extractFromHeaders(message.headers),
    );
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

function consumeAttributes(durable: string, type: string): Record<string, string> {
  return {
    'messaging.system': 'nats',
    'messaging.operation.type': 'process',
    'messaging.destination.name': type,
    'messaging.consumer.group.name': durable,
  };
}
