import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cg/auth';
import { MessagingModule } from '@cg/messaging';
import { ObservabilityModule, ServiceConfig } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';
import { ActivitiesModule } from './activities/activities.module';
import { AnnouncementsModule } from './announcements/announcements.module';
import { CompetitionsModule } from './competitions/competitions.module';
import { MicroWishesModule } from './micro-wishes/micro-wishes.module';
import { ACTIVITIES_OPTIONS, ActivitiesOptions, loadActivitiesOptions } from './options';
import { ResidentsModule } from './residents/residents.module';
import { VolunteeringModule } from './volunteering/volunteering.module';

/** The activities service: activities and registrations, volunteer shifts, micro-wishes, announcements, building competitions. */
@Module({})
export class ActivitiesAppModule {
  static register(config: ServiceConfig, options: ActivitiesOptions = loadActivitiesOptions()): DynamicModule {
    return {
      module: ActivitiesAppModule,
      global: true,
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        MessagingModule,
        PersistenceModule.forRoot(config),
        ResidentsModule,
        ActivitiesModule,
        MicroWishesModule,
        VolunteeringModule,
        AnnouncementsModule,
        CompetitionsModule,
      ],
      providers: [{ provide: ACTIVITIES_OPTIONS, useValue: options }],
      exports: [ACTIVITIES_OPTIONS],
    };
  }
}
