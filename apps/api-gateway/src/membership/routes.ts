import { AuthController } from '../auth/auth.controller';
import { ResidentsController } from './residents.controller';

/** Gateway controllers in front of the membership service. */
export const MEMBERSHIP_ROUTES = [AuthController, ResidentsController];
