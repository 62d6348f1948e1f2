import {
  Context,
  Link,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  TextMapGetter,
  TextMapSetter,
  Tracer,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  Sampler,
  SimpleSpanProcessor,
  SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import mongoose from 'mongoose';
import { ConfigError } from './config';

/** Tracing as the environment sets it: off unless OTEL_EXPORTER_OTLP_ENDPOINT names a collector. */
export interface TracingConfig {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318; spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  serviceName: string;
  sampler: Sampler;
}

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

export function loadTracingConfig(service: string, env: NodeJS.ProcessEnv = process.env): TracingConfig {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT must start with http:// or https://, got "${endpoint}"`);
  }
  const name = env.OTEL_TRACES_SAMPLER || 'parentbased_always_on';
  if (!SAMPLERS.includes(name)) throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}`);
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG;
  const ratio = rawRatio === undefined || rawRatio === '' ? 1 : Number(rawRatio);
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, got "${rawRatio}"`);
  }
  const root = name.endsWith('traceidratio')
    ? new TraceIdRatioBasedSampler(ratio)
    : name.endsWith('always_off')
      ? new AlwaysOffSampler()
      : new AlwaysOnSampler();
  return {
    endpoint,
    serviceName: env.OTEL_SERVICE_NAME || service,
    sampler: name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root,
  };
}

interface RunningTracing {
  provider: NodeTracerProvider;
  mongoose: MongooseInstrumentation;
}

let running: RunningTracing | undefined;

/** Whether spans are recorded in this process; every instrumented path checks it first, so tracing off costs nothing. */
export function tracingEnabled(): boolean {
  return running !== undefined;
}

/**
 * Starts tracing for the process when OTEL_EXPORTER_OTLP_ENDPOINT is set (or an exporter is given, as tests do):
 * W3C trace context, spans batched to the OTLP/HTTP endpoint, and mongoose operations as child spans.
 */
export function startTracing(
  service: string,
  options: { env?: NodeJS.ProcessEnv; exporter?: SpanExporter } = {},
): boolean {
  const config = loadTracingConfig(service, options.env);
  if (running) return true;
  if (!config.endpoint && !options.exporter) return false;
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: `${config.endpoint!.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: config.sampler,
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register();
  // Mongoose is already loaded by the time an app starts, so it is patched directly rather than by a require hook.
  const instrumentation = new MongooseInstrumentation({ enabled: false, requireParentSpan: true });
  instrumentation.setTracerProvider(provider);
  for (const definition of instrumentation.getModuleDefinitions()) definition.patch?.(mongoose, mongoose.version);
  running = { provider, mongoose: instrumentation };
  return true;
}

/** Sends the spans still buffered (an app calls it as it shuts down). */
export async function flushTracing(): Promise<void> {
  await running?.provider.forceFlush();
}

/** Flushes and stops tracing, leaving the process as if it had never started. */
export async function stopTracing(): Promise<void> {
  if (!running) return;
  const { provider, mongoose: instrumentation } = running;
  running = undefined;
  for (const definition of instrumentation.getModuleDefinitions()) definition.unpatch?.(mongoose, mongoose.version);
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

/** The service's tracer: its name is the service, which tells spans apart when several apps share a process. */
export function tracer(service: string): Tracer {
  return trace.getTracer(service);
}

/** Trace context as carried in a message's headers or stored beside an event: `traceparent`, `tracestate`. */
export type TraceCarrier = Record<string, string>;

interface HeaderMap {
  get(key: string): string | undefined | null;
  set(key: string, value: string): void;
  keys(): Iterable<string>;
}

const headerGetter: TextMapGetter<Partial<HeaderMap>> = {
  get: (carrier, key) => carrier.get?.(key) || undefined,
  keys: (carrier) => [...(carrier.keys?.() ?? [])],
};

const headerSetter: TextMapSetter<HeaderMap> = { set: (carrier, key, value) => carrier.set(key, value) };

/** Puts the span's context into message headers (NATS `MsgHdrs` and the like). */
export function injectIntoHeaders(span: Span, headers: HeaderMap): void {
  propagation.inject(trace.setSpan(context.active(), span), headers, headerSetter);
}

/** The context a message's headers carry; the root context when they carry none. */
export function extractFromHeaders(headers: Partial<HeaderMap> | undefined): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
}

/** The active span's context as a plain object, to store beside a write (an outbox event); undefined when none. */
export function currentTraceCarrier(): TraceCarrier | undefined {
  if (!trace.getSpan(context.active())) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a stored carrier names. */
export function contextFromCarrier(carrier: TraceCarrier | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** A link to the span a carrier names, or none. */
export function linkTo(carrier: Context): Link[] {
  const spanContext = trace.getSpanContext(carrier);
  return spanContext ? [{ context: spanContext }] : [];
}

/** Runs `fn` with `span` active, so spans started inside are its children; as it is when there is no span. */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

/** Ends a span with its outcome: `ok`, or the error code the caller sees. */
export function endSpan(span: Span, outcome: string): void {
  if (outcome !== 'ok') {
    span.setAttribute('error.type', outcome);
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
  }
  span.end();
}

/**
 * The trace and span ids of the active span, for log lines; empty when tracing is off or no span is active. A new
 * object each call: pino merges the line's fields into it.
 */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  if (!running) return {};
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
}

export { SpanKind, context as traceContext };
export type { Context as TraceContext, Span, Tracer };
