import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cg/auth';
import { MessagingModule } from '@cg/messaging';
import { ObservabilityModule, ServiceConfig } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';

/** The activities service's backbone: NATS, its database, health and metrics. Features are added as modules here. */
@Module({})
export class ActivitiesAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: ActivitiesAppModule,
      imports: [ObservabilityModule.forRoot(config), AuthModule.forRoot(config), MessagingModule, PersistenceModule.forRoot(config)],
    };
  }
}
