import { DomainException, ErrorCode } from '@cg/contracts';
import { Metrics } from '@cg/observability';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.filter';

const UNBOUNDED = /^\/(health\/|metrics)/;
const counted = new WeakSet<FastifyRequest>();

/**
 * The gateway's own bound on requests in flight (RPC_MAX_IN_FLIGHT, as every instance has): beyond it a request is
 * answered 503 with Retry-After at once, before any work, instead of waiting in the event loop until its callers and
 * its deadline are long gone. Health and metrics are never refused.
 */
export function shedLoad(fastify: FastifyInstance, maxInFlight: number, metrics: Metrics): void {
  let inFlight = 0;
  const done = (request: FastifyRequest) => {
    if (counted.delete(request)) inFlight--;
  };
  fastify.addHook('onRequest', async (request, reply) => {
    if (UNBOUNDED.test(request.url)) return;
    if (inFlight >= maxInFlight) {
      metrics.rpcRefused.inc({ subject: 'http', reason: 'overloaded' });
      sendProblem(request, reply, new DomainException(ErrorCode.SERVICE_UNAVAILABLE, 'The gateway is at capacity; try again').toError());
      return reply;
    }
    inFlight++;
    counted.add(request);
  });
  fastify.addHook('onResponse', async (request) => done(request));
  fastify.addHook('onRequestAbort', async (request) => done(request));
}
