import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { DomainException, ErrorCode } from '@cg/contracts';
import { Metrics, SERVICE_CONFIG, ServiceConfig, runInScope } from '@cg/observability';
import type { FastifyReply } from 'fastify';
import { Observable } from 'rxjs';
import { AuthenticatedRequest } from './access';

/**
 * Opens the call scope: the request id becomes the correlation id of every NATS call and log line. A request that
 * already waited in the gateway longer than a call may take (an overloaded event loop) is refused with 503 before
 * any call: its client has likely given up, and the services should not work for nobody.
 */
@Injectable()
export class ScopeInterceptor implements NestInterceptor {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly metrics: Metrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    if (http.getResponse<FastifyReply>().elapsedTime > this.config.rpcTimeoutMs) {
      this.metrics.rpcRefused.inc({ subject: 'http', reason: 'expired' });
      throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, 'The gateway is overloaded; try again');
    }
    return runInScope({ correlationId: String(request.id), token: request.token, principal: request.principal }, () =>
      next.handle(),
    );
  }
}
