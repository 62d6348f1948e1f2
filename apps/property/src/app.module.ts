import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cg/auth';
import { MessagingModule } from '@cg/messaging';
import { ObservabilityModule, ServiceConfig } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';
import { BallotsModule } from './ballots/ballots.module';
import { OwnerRegisterModule } from './owners/owner-register.module';

/** The property service: the owner register read model and owners' assembly ballots. */
@Module({})
export class PropertyAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: PropertyAppModule,
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        MessagingModule,
        PersistenceModule.forRoot(config),
        OwnerRegisterModule,
        BallotsModule,
      ],
    };
  }
}
