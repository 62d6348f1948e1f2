import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { ResidentsModule } from '../residents/residents.module';
import { Activity, ActivitySchema } from './activity.schema';
import { ActivitiesController } from './activities.controller';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { Registration, RegistrationSchema } from './registration.schema';
import { RegistrationsRepository } from './registrations.repository';
import { RegistrationsService } from './registrations.service';

const models = MongooseModule.forFeature([
  { name: Activity.name, schema: ActivitySchema },
  { name: Registration.name, schema: RegistrationSchema },
]);

@Module({
  imports: [models, OutboxModule.forFeature([Activity.name, Registration.name]), ResidentsModule],
  controllers: [ActivitiesController],
  providers: [ActivitiesRepository, ActivitiesService, RegistrationsRepository, RegistrationsService],
  exports: [ActivitiesService, RegistrationsService],
})
export class ActivitiesModule {}
