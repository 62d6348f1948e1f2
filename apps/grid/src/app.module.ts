import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cg/auth';
import { MessagingModule } from '@cg/messaging';
import { ObservabilityModule, ServiceConfig } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';
import { CasesModule } from './cases/cases.module';
import { HierarchyModule } from './hierarchy/hierarchy.module';
import { ImportsModule } from './imports/imports.module';
import { MeetingsModule } from './meetings/meetings.module';
import { ResidenceModule } from './residence/residence.module';
import { SettingsModule } from './settings/settings.module';

@Module({})
export class GridAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: GridAppModule,
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        MessagingModule,
        PersistenceModule.forRoot(config),
        HierarchyModule,
        ResidenceModule,
        CasesModule,
        MeetingsModule,
        ImportsModule,
        SettingsModule,
      ],
    };
  }
}
