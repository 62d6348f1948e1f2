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

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: DomainError): void {
  const status = statusOf(error.code);
  const problem: Problem = {
    type: `https://errors.co-governance.local/${error.code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code: error.code,
    detail: error.message,
    instance: request.url,
    requestId: String(request.id),
    ...(Array.isArray(error.details) && { errors: error.details }),
  };
  // A service that is down or at capacity: worth trying again shortly.
  if (status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', '1');
  void reply.code(status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(PINO_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const error = toDomainError(exception);
    if (error.code === ErrorCode.INTERNAL) this.logger.error({ err: exception }, 'unhandled error');
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error);
  }
}
