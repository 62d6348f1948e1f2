import { DomainException, ErrorCode } from '@cg/contracts';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { parse as parseForm } from 'node:querystring';
import { PROBLEM_CONTENT_TYPE, problemOf, sendProblem } from './problem.filter';

/** Nesting deeper than any of our bodies needs; validation and transformation recurse, so deeper is refused first. */
export const MAX_JSON_DEPTH = 32;
/** Longer URLs are answered 414 before routing; Node refuses request lines and headers over 16 KiB with 431. */
export const MAX_URL_LENGTH = 8 * 1024;

const OPEN = [0x7b, 0x5b];
const CLOSE = [0x7d, 0x5d];
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when the JSON text nests objects and arrays deeper than `max`; one pass, strings skipped, nothing parsed. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (OPEN.includes(c)) {
      if (++depth > max) return true;
    } else if (CLOSE.includes(c)) {
      depth--;
    }
  }
  return false;
}

/** Turns a route pattern (`/a/:id/b`, `/files/*`) into a test for concrete paths. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * Limits Fastify applies before Nest sees a request, answered as problem+json like every other error: JSON depth,
 * URL length, and 405 with Allow for a known path called with a method it does not have (Fastify answers 404).
 */
export function applyRequestLimits(fastify: FastifyInstance): void {
  const routes: Array<{ method: string; pattern: RegExp }> = [];
  fastify.addHook('onRoute', (route) => {
    // CORS preflight answers OPTIONS on every path; it says nothing about which methods a path has.
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'OPTIONS');
    if (route.url === '*' || route.url === '/*') return;
    for (const method of methods) routes.push({ method, pattern: patternOf(route.url) });
  });

  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, parseForm(body as string)),
  );
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
      done(
        new DomainException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', [
          { field: 'body', reason: `JSON must not nest deeper than ${MAX_JSON_DEPTH} levels` },
        ]),
        undefined,
      );
      return;
    }
    parseJson(request, body as string, done);
  });

  fastify.addHook('onRequest', async (request, reply) => {
    if (request.url.length > MAX_URL_LENGTH) {
      sendProblem(request, reply, { code: ErrorCode.URI_TOO_LONG, message: `The URL is longer than ${MAX_URL_LENGTH} characters` });
      return reply;
    }
    if (request.routeOptions.url !== undefined) return;
    const path = request.url.split('?')[0];
    const allow = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allow.length === 0) return;
    sendProblem(
      request,
      reply,
      { code: ErrorCode.METHOD_NOT_ALLOWED, message: `${request.method} is not allowed here; use ${allow.join(', ')}` },
      { allow },
    );
    return reply;
  });
}

/** Requests Node's HTTP parser refuses (headers over its limit, malformed lines), answered as problem+json too. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problemOf({ code: ErrorCode.HEADERS_TOO_LARGE, message: 'The request line and headers are too large' }, '', randomUUID())
      : problemOf({ code: ErrorCode.VALIDATION_FAILED, message: 'The request could not be read as HTTP' }, '', randomUUID());
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
