import { Injectable } from '@nestjs/common';
import { EventEnvelope, Headers } from '@cg/contracts';
import { Metrics } from '@cg/observability';
import { JSONCodec, headers } from 'nats';
import { NatsConnection } from './nats-connection';

const codec = JSONCodec<EventEnvelope>();

@Injectable()
export class EventPublisher {
  constructor(
    private readonly nats: NatsConnection,
    private readonly metrics: Metrics,
  ) {}

  /** Publishes with the event id as the JetStream message id, so a repeated publish is dropped. */
  async publish(event: EventEnvelope): Promise<void> {
    const h = headers();
    h.set(Headers.correlationId, event.correlationId);
    await this.nats.js.publish(event.type, codec.encode(event), { msgID: event.id, headers: h });
    this.metrics.eventsPublished.inc({ type: event.type });
  }
}
