import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, Headers } from '@cg/contracts';
import {
  Metrics,
  SERVICE_CONFIG,
  ServiceConfig,
  Span,
  SpanKind,
  TraceCarrier,
  Tracer,
  contextFromCarrier,
  currentTraceCarrier,
  endSpan,
  injectIntoHeaders,
  traceContext,
  tracer,
  tracingEnabled,
} from '@cg/observability';
import { JSONCodec, MsgHdrs, headers } from 'nats';
import { NatsConnection } from './nats-connection';

const codec = JSONCodec<EventEnvelope>();

/** An event as the outbox keeps it: with the trace context of the write that stored it, when that write was traced. */
export type OutboxEvent = EventEnvelope & { trace?: TraceCarrier };

/** Header naming the write that stored the event (its W3C traceparent), for the consumer's span link. */
export const ORIGIN_TRACEPARENT_HEADER = 'origin-traceparent';

@Injectable()
export class EventPublisher {
  private readonly spans: Tracer;

  constructor(
    private readonly nats: NatsConnection,
    private readonly metrics: Metrics,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.spans = tracer(config.service);
  }

  /** Publishes with the event id as the JetStream message id, so a repeated publish is dropped. */
  async publish(event: OutboxEvent): Promise<void> {
    const h = headers();
    h.set(Headers.correlationId, event.correlationId);
    // The stored trace context travels in the headers, not in the envelope consumers read.
    const envelope = event.trace ? withoutTrace(event) : event;
    const span = tracingEnabled() ? this.publishSpan(event, h) : undefined;
    try {
      await this.nats.js.publish(event.type, codec.encode(envelope), { msgID: event.id, headers: h });
    } catch (error) {
      if (span) endSpan(span, 'PUBLISH_FAILED');
      throw error;
    }
    if (span) endSpan(span, 'ok');
    this.metrics.eventsPublished.inc({ type: event.type });
  }

  /**
   * A producer span, child of the write that stored the event (else of the active span), carried in the headers with
   * the write's own context for the consumer's link.
   */
  private publishSpan(event: OutboxEvent, h: MsgHdrs): Span {
    const span = this.spans.startSpan(
      `publish ${event.type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.destination.name': event.type,
          'messaging.message.id': event.id,
        },
      },
      event.trace ? contextFromCarrier(event.trace) : traceContext.active(),
    );
    injectIntoHeaders(span, h);
    // An event inserted with its document carries no stored context; published right after that write, it is active.
    const origin = event.trace ?? currentTraceCarrier();
    if (origin?.traceparent) h.set(ORIGIN_TRACEPARENT_HEADER, origin.traceparent);
    return span;
  }
}

function withoutTrace(event: OutboxEvent): EventEnvelope {
  const envelope = { ...event };
  delete envelope.trace;
  return envelope;
}
