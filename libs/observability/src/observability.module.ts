import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from 'pino';
import { SERVICE_CONFIG, ServiceConfig } from './config';
import { HealthController, HealthRegistry } from './health';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import { flushTracing } from './tracing';

export const PINO_LOGGER = Symbol('PINO_LOGGER');
export type { Logger };

/** Spans still buffered leave before the process ends. */
@Injectable()
class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: PINO_LOGGER, useValue: createLogger(config.service, config.logLevel) },
        { provide: Metrics, useValue: new Metrics(config.service) },
        HealthRegistry,
        TracingFlush,
      ],
      exports: [SERVICE_CONFIG, PINO_LOGGER, Metrics, HealthRegistry],
    };
  }
}
