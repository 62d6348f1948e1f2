import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Span, SpanKind, endSpan, extractFromHeaders, tracer, tracingEnabled, withSpan } from './tracing';

const SPAN = Symbol('span');
type TracedRequest = FastifyRequest & { [SPAN]?: Span };

/**
 * A server span per HTTP request, continuing the caller's W3C trace context when it sends one; the handler (and
 * every NATS call it makes) runs inside it. Adds nothing when tracing is off.
 */
export function traceHttpRequests(fastify: FastifyInstance, service: string): void {
  if (!tracingEnabled()) return;
  const spans = tracer(service);
  fastify.addHook('onRequest', (request: TracedRequest, _reply, done) => {
    const route = request.routeOptions.url;
    const headers = { get: (key: string) => header(request, key), keys: () => Object.keys(request.headers) };
    request[SPAN] = spans.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0],
          ...(route && { 'http.route': route }),
          'http.request.id': String(request.id),
        },
      },
      extractFromHeaders(headers),
    );
    done();
  });
  // Bodies are parsed outside the request's async context, so the span becomes active right before the handler.
  fastify.addHook('preHandler', (request: TracedRequest, _reply, done) => {
    withSpan(request[SPAN], done);
  });
  fastify.addHook('onResponse', (request: TracedRequest, reply, done) => {
    const span = request[SPAN];
    if (span) {
      request[SPAN] = undefined;
      span.setAttribute('http.response.status_code', reply.statusCode);
      endSpan(span, reply.statusCode >= 500 ? String(reply.statusCode) : 'ok');
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request: TracedRequest, done) => {
    const span = request[SPAN];
    request[SPAN] = undefined;
    if (span) endSpan(span, 'aborted');
    done();
  });
}

function header(request: FastifyRequest, key: string): string | undefined {
  const value = request.headers[key];
  return Array.isArray(value) ? value[0] : value;
}
