import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, NatsRecordBuilder, Transport } from '@nestjs/microservices';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { DomainException, ErrorCode, Headers, RpcContract, isDomainError } from '@cg/contracts';
import { TokenService } from '@cg/auth';
import {
  Metrics,
  SERVICE_CONFIG,
  ServiceConfig,
  Span,
  SpanKind,
  Tracer,
  currentCorrelationId,
  currentScope,
  endSpan,
  injectIntoHeaders,
  tracer,
  tracingEnabled,
} from '@cg/observability';
import { headers } from 'nats';
import { TimeoutError, lastValueFrom, timeout } from 'rxjs';

export interface CallOptions {
  timeoutMs?: number;
  /** Bearer token to call with; defaults to the current caller's, else a service token. */
  token?: string;
}

/** Typed request-reply over NATS: every call has a timeout and carries the correlation id and the caller. */
@Injectable()
export class RpcClient implements OnApplicationShutdown {
  private readonly proxy: ClientProxy;
  private readonly spans: Tracer;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly tokens: TokenService,
    private readonly metrics: Metrics,
  ) {
    this.proxy = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers: [config.natsUrl], name: `${config.service}-rpc`, maxReconnectAttempts: -1 },
    });
    this.spans = tracer(config.service);
  }

  async send<Req, Res>(contract: RpcContract<Req, Res>, request: Req, options: CallOptions = {}): Promise<Res> {
    const scope = currentScope();
    const now = Date.now();
    // A call made while serving a request ends no later than that request's caller waits.
    const deadline = Math.min(now + (options.timeoutMs ?? this.config.rpcTimeoutMs), scope?.deadline ?? Infinity);
    if (deadline <= now) {
      this.metrics.rpcCalls.observe({ subject: contract.subject, outcome: 'EXPIRED' }, 0);
      throw new DomainException(ErrorCode.UPSTREAM_TIMEOUT, 'The request ran out of time before this call');
    }
    const h = headers();
    h.set(Headers.deadline, String(deadline));
    h.set(Headers.correlationId, scope?.correlationId ?? currentCorrelationId());
    if (scope?.writeKey) h.set(Headers.writeKey, scope.writeKey);
    const token = options.token ?? scope?.token ?? this.tokens.issueSystem(this.config.service);
    h.set(Headers.authorization, `Bearer ${token}`);
    let span: Span | undefined;
    if (tracingEnabled()) {
      span = this.spans.startSpan(contract.subject, {
        kind: SpanKind.CLIENT,
        attributes: { 'rpc.system': 'nats', 'messaging.destination.name': contract.subject },
      });
      injectIntoHeaders(span, h);
    }
    const record = new NatsRecordBuilder(request).setHeaders(h).build();
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      return await lastValueFrom(
        this.proxy.send<Res>(contract.subject, record).pipe(timeout(deadline - now)),
      );
    } catch (error) {
      const mapped = toDomainException(error, contract.subject);
      outcome = mapped.code;
      throw mapped;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.rpcCalls.observe({ subject: contract.subject, outcome }, seconds);
      if (span) endSpan(span, outcome);
    }
  }

  /** Round trip to the NATS server, for readiness. */
  async ping(): Promise<void> {
    const connection = (await this.proxy.connect()) as { rtt(): Promise<number> };
    await connection.rtt();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
  }
}

function toDomainException(error: unknown, subject: string): DomainException {
  if (error instanceof DomainException) return error;
  if (isDomainError(error)) return DomainException.from(error);
  if (error instanceof TimeoutError) {
    return new DomainException(ErrorCode.UPSTREAM_TIMEOUT, `No answer from ${service(subject)} in time`);
  }
  if (error instanceof EmptyResponseException) {
    return new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The ${service(subject)} service is not running`);
  }
  // Anything else is the transport's (no responders, a closed or reconnecting connection): the service could not be
  // reached. A handler's own failure arrives as a domain error (INTERNAL) and stays a 500.
  return new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The ${service(subject)} service cannot be reached`);
}

function service(subject: string): string {
  return subject.split('.')[0];
}
