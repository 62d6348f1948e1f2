import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  RpcExceptionFilter,
  createParamDecorator,
} from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { DomainError, DomainException, ErrorCode, Headers, Principal, isDomainError, toFieldErrors } from '@cg/contracts';
import { TokenService } from '@cg/auth';
import {
  Logger,
  Metrics,
  PINO_LOGGER,
  SERVICE_CONFIG,
  ServiceConfig,
  Span,
  SpanKind,
  Tracer,
  currentScope,
  endSpan,
  extractFromHeaders,
  runInScope,
  tracer,
  tracingEnabled,
  withSpan,
} from '@cg/observability';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { Observable, finalize, tap, throwError } from 'rxjs';

/**
 * Opens the call scope for each NATS request (correlation id, verified caller, deadline, timing) and refuses at once
 * what it should not work on: a request whose caller has already stopped waiting, or one beyond the instance's
 * bound of requests in flight (the caller answers 503 and may try again; queueing it would only make it late).
 */
@Injectable()
export class RpcScopeInterceptor implements NestInterceptor {
  private inFlight = 0;
  private readonly spans: Tracer;

  /** Requests this instance is working on now. */
  get working(): number {
    return this.inFlight;
  }

  constructor(
    private readonly tokens: TokenService,
    private readonly metrics: Metrics,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.spans = tracer(config.service);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const nats = context.switchToRpc().getContext<NatsContext>();
    const h = nats.getHeaders();
    const subject = nats.getSubject();
    const deadline = Number(h?.get(Headers.deadline)) || undefined;
    if (deadline !== undefined && deadline <= Date.now()) {
      this.metrics.rpcRefused.inc({ subject, reason: 'expired' });
      return throwError(() => new DomainException(ErrorCode.UPSTREAM_TIMEOUT, 'The caller stopped waiting'));
    }
    if (this.inFlight >= this.config.rpcMaxInFlight) {
      this.metrics.rpcRefused.inc({ subject, reason: 'overloaded' });
      return throwError(() => new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `${this.config.service} is at capacity; try again`));
    }
    this.inFlight++;
    const correlationId = h?.get(Headers.correlationId) || randomUUID();
    const authorization = h?.get(Headers.authorization) || undefined;
    let principal: Principal | undefined;
    let authError: Error | undefined;
    try {
      principal = this.tokens.fromAuthorizationHeader(authorization);
    } catch (error) {
      authError = error as Error;
    }
    const token = authorization?.replace(/^Bearer\s+/i, '');
    const writeKey = h?.get(Headers.writeKey) || undefined;
    const started = process.hrtime.bigint();
    // The span continues the caller's trace context (W3C traceparent in the NATS headers).
    const span: Span | undefined = tracingEnabled()
      ? this.spans.startSpan(
          subject,
          { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'nats', 'messaging.destination.name': subject } },
          extractFromHeaders(h),
        )
      : undefined;
    let outcome = 'ok';
    const observe = (result: string) => {
      outcome = result;
      this.metrics.rpcHandled.observe({ subject, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    return runInScope({ correlationId, token, principal, authError, deadline, writeKey }, () =>
      withSpan(span, () => next.handle()).pipe(
        finalize(() => {
          this.inFlight--;
          if (span) endSpan(span, outcome);
        }),
        tap({
          next: () => observe('ok'),
          error: (error: unknown) => {
            const { code } = toWireError(error);
            observe(code);
            if (code === 'INTERNAL') this.logger.error({ err: error, subject }, 'request failed');
          },
        }),
      ),
    );
  }
}

/** Sends a domain error across NATS as a plain object; anything else leaves as INTERNAL without details. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => toWireError(exception));
  }
}

const DATABASE_UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
]);

/**
 * What a failure says to the caller: a domain error as it is; a database that cannot be reached (restarting, a
 * network split) as SERVICE_UNAVAILABLE, so the caller may try again; anything else INTERNAL, without details.
 */
export function toWireError(exception: unknown): DomainError {
  if (exception instanceof DomainException) return exception.toError();
  if (isDomainError(exception)) return exception;
  const { name, message } = (exception ?? {}) as { name?: string; message?: string };
  if ((name && DATABASE_UNREACHABLE.has(name)) || /buffering timed out/.test(message ?? '')) {
    return { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The database cannot be reached; try again' };
  }
  return { code: ErrorCode.INTERNAL, message: 'Internal error' };
}

/** The verified caller of the current NATS request; rejects unauthenticated calls. */
export const Caller = createParamDecorator((_: unknown, _ctx: ExecutionContext): Principal => {
  const scope = currentScope();
  if (scope?.principal) return scope.principal;
  throw scope?.authError ?? new DomainException(ErrorCode.UNAUTHENTICATED, 'A bearer token is required');
});

/** Validates a request body inside a service, with the same rules the gateway applied. */
export function validated<T extends object>(type: new () => T, value: unknown): T {
  const instance = plainToInstance(type, value ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', toFieldErrors(errors));
  }
  return instance;
}
