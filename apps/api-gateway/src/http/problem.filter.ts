import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { DomainError, DomainException, ErrorCode, isDomainError } from '@cg/contracts';
import { Logger, PINO_LOGGER } from '@cg/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { Problem, statusOf } from './problem';

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.VALIDATION_FAILED,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHENTICATED,
  [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.CONFLICT]: ErrorCode.CONFLICT,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.METHOD_NOT_ALLOWED]: ErrorCode.METHOD_NOT_ALLOWED,
  [HttpStatus.URI_TOO_LONG]: ErrorCode.URI_TOO_LONG,
  431: ErrorCode.HEADERS_TOO_LARGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.VALIDATION_FAILED,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
};

/** Turns anything thrown while serving a request into the error a client can act on. */
export function toDomainError(exception: unknown): DomainError {
  if (exception instanceof DomainException) return exception.toError();
  if (isDomainError(exception)) return exception;
  const status =
    exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: number })?.statusCode;
  const code = status ? HTTP_CODES[status] : undefined;
  if (code) {
    const message =
      code === ErrorCode.RATE_LIMITED ? 'Too many requests; retry after the time in Retry-After' : (exception as Error).message;
    return { code, message };
  }
  return { code: ErrorCode.INTERNAL, message: 'Internal error' };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemOf(error: DomainError, instance: string, requestId: string): Problem {
  const status = statusOf(error.code);
  return {
    type: `https://errors.co-governance.local/${error.code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code: error.code,
    detail: error.message,
    instance,
    requestId,
    ...(Array.isArray(error.details) && { errors: error.details }),
  };
}

/** Headers an exception asks to be answered with: a lockout's Retry-After, a 405's Allow. */
export interface ProblemHeaders {
  retryAfterSeconds?: number;
  allow?: string[];
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: DomainError, headers: ProblemHeaders = {}): void {
  const problem = problemOf(error, request.url, String(request.id));
  // A service that is down or at capacity: worth trying again shortly.
  if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', '1');
  if (headers.retryAfterSeconds) void reply.header('retry-after', String(headers.retryAfterSeconds));
  if (headers.allow) void reply.header('allow', headers.allow.join(', '));
  void reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(PINO_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const error = toDomainError(exception);
    if (error.code === ErrorCode.INTERNAL) this.logger.error({ err: exception }, 'unhandled error');
    const headers = exception instanceof DomainException ? { retryAfterSeconds: (exception as ProblemHeaders).retryAfterSeconds } : {};
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error, headers);
  }
}
