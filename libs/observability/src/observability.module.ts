import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { SERVICE_CONFIG, ServiceConfig } from './config';
import { HealthController, HealthRegistry } from './health';
import { createLogger } from './logger';
import { Metrics } from './metrics';

export const PINO_LOGGER = Symbol('PINO_LOGGER');
export type { Logger };

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
      ],
      exports: [SERVICE_CONFIG, PINO_LOGGER, Metrics, HealthRegistry],
    };
  }
}
