import { Type } from '@nestjs/common';
import { ActivitiesController } from './activities.controller';
import { AnnouncementsController } from './announcements.controller';
import { CompetitionsController } from './competitions.controller';
import { MicroWishesController } from './micro-wishes.controller';
import { VolunteerShiftsController } from './volunteer-shifts.controller';

/** Gateway controllers in front of the activities service. */
export const ACTIVITIES_ROUTES: Type<unknown>[] = [
  ActivitiesController,
  VolunteerShiftsController,
  MicroWishesController,
  AnnouncementsController,
  CompetitionsController,
];
