import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { PeopleModule } from '../people/people.module';
import {
  HoursEntry,
  HoursEntrySchema,
  VolunteerProfile,
  VolunteerProfileSchema,
  VolunteerSettings,
  VolunteerSettingsSchema,
} from './volunteer.schema';
import { VolunteersController } from './volunteers.controller';
import { VolunteersRepository } from './volunteers.repository';
import { VolunteersService } from './volunteers.service';

const models = MongooseModule.forFeature([
  { name: VolunteerProfile.name, schema: VolunteerProfileSchema },
  { name: HoursEntry.name, schema: HoursEntrySchema },
  { name: VolunteerSettings.name, schema: VolunteerSettingsSchema },
]);

@Module({
  imports: [models, OutboxModule.forFeature([HoursEntry.name]), PeopleModule],
  controllers: [VolunteersController],
  providers: [VolunteersRepository, VolunteersService],
  exports: [VolunteersService],
})
export class VolunteersModule {}
