import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cg/auth';
import { MessagingModule } from '@cg/messaging';
import { ObservabilityModule, ServiceConfig } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';
import { EventsModule } from './events/events.module';
import { NoticesModule } from './notices/notices.module';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions, loadNotificationsOptions } from './options';

/** The notifications service: notices from domain events, each person's inbox, live delivery over NATS. */
@Module({})
export class NotificationsAppModule {
  static register(config: ServiceConfig, options: NotificationsOptions = loadNotificationsOptions()): DynamicModule {
    return {
      module: NotificationsAppModule,
      global: true,
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        MessagingModule,
        PersistenceModule.forRoot(config),
        NoticesModule,
        EventsModule,
      ],
      providers: [{ provide: NOTIFICATIONS_OPTIONS, useValue: options }],
      exports: [NOTIFICATIONS_OPTIONS],
    };
  }
}
