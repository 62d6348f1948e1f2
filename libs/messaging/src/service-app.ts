import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonLogger, PINO_LOGGER, ServiceConfig } from '@cg/observability';
import { closeGracefullyOnSignal, drainAndClose } from './drain';
import { withHealthPing } from './health-ping';
import { RpcErrorFilter, RpcScopeInterceptor } from './rpc-server';

/**
 * A service process: NATS request-reply in its queue group (with `<service>.health.ping`), plus a small HTTP port
 * for health and metrics.
 * Returns once both listen; `close()` stops them at once.
 */
export async function startServiceApp(module: Type<unknown> | object, config: ServiceConfig): Promise<INestApplication> {
  const root = withHealthPing(module as Type<unknown>, config.service);
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(new JsonLogger(app.get(PINO_LOGGER)));
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.NATS,
      options: { servers: [config.natsUrl], queue: config.service, name: `${config.service}-server`, maxReconnectAttempts: -1 },
    },
    { inheritAppConfig: false, deferInitialization: true },
  );
  const ms = app.getMicroservices()[0];
  // The HTTP application runs the lifecycle hooks; without this the microservice would run them a second time.
  (ms as unknown as { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  ms.useGlobalInterceptors(app.get(RpcScopeInterceptor));
  ms.useGlobalFilters(new RpcErrorFilter());
  // Every module is initialised (indexes, outbox relays, seeded data) before the first request can arrive.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost);
  return app;
}

/** A service process as `main.ts` runs it: started, and drained before it ends on SIGTERM or SIGINT. */
export async function runServiceApp(module: Type<unknown> | object, config: ServiceConfig): Promise<INestApplication> {
  const app = await startServiceApp(module, config);
  closeGracefullyOnSignal(app, () => drainAndClose(app, config));
  return app;
}
