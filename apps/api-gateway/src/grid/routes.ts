import { CalendarsController } from './calendars.controller';
import { CasesController } from './cases.controller';
import { CommunitiesController } from './communities.controller';
import { MeetingsController } from './meetings.controller';
import { SettingsController } from './settings.controller';

/** Gateway controllers in front of the grid service. */
export const GRID_ROUTES = [CommunitiesController, CasesController, MeetingsController, CalendarsController, SettingsController];
