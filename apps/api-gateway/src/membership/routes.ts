import { AuthController } from '../auth/auth.controller';
import { OwnershipController } from './ownership.controller';
import { PartyController } from './party.controller';
import { ResidentsController } from './residents.controller';
import { VolunteersController } from './volunteers.controller';

/** Gateway controllers in front of the membership service. */
export const MEMBERSHIP_ROUTES = [
  AuthController,
  ResidentsController,
  OwnershipController,
  VolunteersController,
  PartyController,
];
