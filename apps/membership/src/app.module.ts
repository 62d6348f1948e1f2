import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cg/auth';
import { MessagingModule } from '@cg/messaging';
import { ObservabilityModule, ServiceConfig } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';
import { AccountsModule } from './accounts/accounts.module';
import { BOOTSTRAP_ADMIN, BootstrapAdmin } from './accounts/accounts.service';
import { ResidentsModule } from './residents/residents.module';
import { OwnershipModule } from './ownership/ownership.module';
import { VolunteersModule } from './volunteers/volunteers.module';
import { PartyModule } from './party/party.module';
import { PartnersModule } from './partners/partners.module';
import { ImportsModule } from './imports/imports.module';
import { BodiesModule } from './bodies/bodies.module';
import { AuditModule } from './audit/audit.module';

@Module({})
export class MembershipAppModule {
  static register(config: ServiceConfig, bootstrapAdmin?: BootstrapAdmin): DynamicModule {
    return {
      module: MembershipAppModule,
      global: true,
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        MessagingModule,
        PersistenceModule.forRoot(config),
        AccountsModule,
        ResidentsModule,
        OwnershipModule,
        VolunteersModule,
        PartyModule,
        PartnersModule,
        ImportsModule,
        BodiesModule,
        AuditModule,
      ],
      providers: [{ provide: BOOTSTRAP_ADMIN, useValue: bootstrapAdmin }],
      exports: [BOOTSTRAP_ADMIN],
    };
  }
}
