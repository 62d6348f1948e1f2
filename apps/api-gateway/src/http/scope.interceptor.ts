import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { runInScope } from '@cg/observability';
import { Observable } from 'rxjs';
import { AuthenticatedRequest } from './access';

/** Opens the call scope: the request id becomes the correlation id of every NATS call and log line. */
@Injectable()
export class ScopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return runInScope({ correlationId: String(request.id), token: request.token, principal: request.principal }, () =>
      next.handle(),
    );
  }
}
