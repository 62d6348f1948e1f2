import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { ResidentsModule } from '../residents/residents.module';
import { Activity, ActivitySchema } from './activity.schema';
import { ActivitiesController } from './activities.controller';
import { ACTIVITY_CHANGES, ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { changeRecordSchema } from './change-journal';
import { Registration, RegistrationSchema } from './registration.schema';
import { REGISTRATION_CHANGES, RegistrationsRepository } from './registrations.repository';
import { RegistrationsService } from './registrations.service';
import { WaitingCounter, WaitingCounterSchema } from './waiting-counter.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Activity.name, schema: ActivitySchema },
      { name: Registration.name, schema: RegistrationSchema },
      { name: WaitingCounter.name, schema: WaitingCounterSchema },
      { name: ACTIVITY_CHANGES, schema: changeRecordSchema('activity_changes') },
      { name: REGISTRATION_CHANGES, schema: changeRecordSchema('registration_changes') },
    ]),
    ResidentsModule,
    LockingModule,
  ],
  controllers: [ActivitiesController],
  providers: [ActivitiesRepository, ActivitiesService, RegistrationsRepository, RegistrationsService],
  exports: [ActivitiesService, RegistrationsService],
})
export class ActivitiesModule {}
