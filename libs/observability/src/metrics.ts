import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so several apps in one test process do not collide. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly rpcHandled: Histogram<'subject' | 'outcome'>;
  readonly rpcCalls: Histogram<'subject' | 'outcome'>;
  readonly rpcRefused: Counter<'subject' | 'reason'>;
  readonly eventsPublished: Counter<'type'>;
  readonly eventsConsumed: Counter<'consumer' | 'outcome'>;
  readonly viewSections: Counter<'view' | 'section' | 'outcome'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests served, by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.rpcHandled = new Histogram({
      name: 'rpc_handled_duration_seconds',
      help: 'NATS requests handled by this service, by subject and outcome',
      labelNames: ['subject', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    this.rpcCalls = new Histogram({
      name: 'rpc_client_duration_seconds',
      help: 'NATS requests made by this service, by subject and outcome',
      labelNames: ['subject', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    this.rpcRefused = new Counter({
      name: 'rpc_refused_total',
      help: 'NATS requests not worked on: expired (the caller had stopped waiting), overloaded (too many in flight)',
      labelNames: ['subject', 'reason'],
      registers,
    });
    this.eventsPublished = new Counter({
      name: 'events_published_total',
      help: 'Domain events published to JetStream',
      labelNames: ['type'],
      registers,
    });
    this.eventsConsumed = new Counter({
      name: 'events_consumed_total',
      help: 'Domain events handled by durable consumers, by outcome (ack, retry, dead_letter)',
      labelNames: ['consumer', 'outcome'],
      registers,
    });
    this.viewSections = new Counter({
      name: 'view_sections_total',
      help: 'Sections of aggregate views served, by view, section and outcome (ok, unavailable, timed_out, not_applicable)',
      labelNames: ['view', 'section', 'outcome'],
      registers,
    });
  }
}
