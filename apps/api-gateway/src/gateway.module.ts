import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from '@cg/auth';
import { HealthRpc, ServiceName } from '@cg/contracts';
import { NatsConnection, RpcClient, UploadStore } from '@cg/messaging';
import { HealthRegistry, ObservabilityModule } from '@cg/observability';
import { ACTIVITIES_ROUTES } from './activities/routes';
import { GatewayConfig } from './config';
import { GRID_ROUTES } from './grid/routes';
import { SESSION_PROVIDERS } from './auth/session-providers';
import { AuthGuard } from './http/auth.guard';
import { IdempotencyInterceptor } from './http/idempotency';
import { ProblemFilter } from './http/problem.filter';
import { ScopeInterceptor } from './http/scope.interceptor';
import { UserThrottlerGuard } from './http/throttle.guard';
import { MeController } from './me/me.controller';
import { OPEN311_PROVIDERS, OPEN311_ROUTES } from './open311/routes';
import { ViewsController } from './views/views.controller';
import { MEMBERSHIP_ROUTES } from './membership/routes';
import { PROPERTY_ROUTES } from './property/routes';
import { NOTIFICATIONS_ROUTES } from './notifications/routes';
import { ATTACHMENT_PROVIDERS, ATTACHMENT_ROUTES } from './attachments/routes';
import { EXPORTS_ROUTES } from './exports/routes';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }]),
      ],
      controllers: [...MEMBERSHIP_ROUTES, ...GRID_ROUTES, ...ACTIVITIES_ROUTES, ...PROPERTY_ROUTES, ...NOTIFICATIONS_ROUTES, ...EXPORTS_ROUTES, MeController, ViewsController, ...OPEN311_ROUTES, ...ATTACHMENT_ROUTES],
      providers: [
        RpcClient,
        // JetStream, for files too large for one message (imports): stored here, taken up by the service.
        NatsConnection,
        UploadStore,
        ...ATTACHMENT_PROVIDERS,
        ...SESSION_PROVIDERS,
        ...OPEN311_PROVIDERS,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: UserThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: ScopeInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
        {
          provide: 'NATS_READINESS',
          inject: [HealthRegistry, RpcClient],
          useFactory: (health: HealthRegistry, rpc: RpcClient) =>
            health.register({ name: 'nats-rpc', check: () => rpc.ping() }),
        },
        {
          provide: 'SERVICES_READINESS',
          inject: [HealthRegistry, RpcClient],
          // A service down degrades the views that need it; it does not take the gateway out of rotation.
          useFactory: (health: HealthRegistry, rpc: RpcClient) =>
            [ServiceName.Membership, ServiceName.Grid, ServiceName.Activities, ServiceName.Property, ServiceName.Notifications].forEach((service) =>
              health.register({
                name: service,
                optional: true,
                check: async () => void (await rpc.send(HealthRpc.ping(service), {}, { timeoutMs: 1000 })),
              }),
            ),
        },
      ],
    };
  }
}
