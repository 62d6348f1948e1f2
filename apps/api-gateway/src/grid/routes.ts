import { CasesController } from './cases.controller';
import { CommunitiesController } from './communities.controller';

/** Gateway controllers in front of the grid service. */
export const GRID_ROUTES = [CommunitiesController, CasesController];
