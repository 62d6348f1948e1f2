import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { PeopleModule } from '../people/people.module';
import {
  HoursEntry,
  HoursEntrySchema,
  HoursEventRecord,
  HoursEventRecordSchema,
  VolunteerProfile,
  VolunteerProfileSchema,
  VolunteerSettings,
  VolunteerSettingsSchema,
} from './volunteer.schema';
import { VolunteersController } from './volunteers.controller';
import { VolunteersRepository } from './volunteers.repository';
import { VolunteersService } from './volunteers.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: VolunteerProfile.name, schema: VolunteerProfileSchema },
      { name: HoursEntry.name, schema: HoursEntrySchema },
      { name: HoursEventRecord.name, schema: HoursEventRecordSchema },
      { name: VolunteerSettings.name, schema: VolunteerSettingsSchema },
    ]),
    PeopleModule,
    LockingModule,
  ],
  controllers: [VolunteersController],
  providers: [VolunteersRepository, VolunteersService],
  exports: [VolunteersService],
})
export class VolunteersModule {}
