import { AuthController } from '../auth/auth.controller';
import { OwnershipController } from './ownership.controller';
import { PartyController } from './party.controller';
import { ResidentsController } from './residents.controller';
import { HouseholdsController } from './residents.controller';
import { VolunteersController } from './volunteers.controller';
import { PartnersController } from './partners.controller';
import { ImportsController } from './imports.controller';
import { BodiesController } from './bodies.controller';
import { AuditLogController, RevealController } from './audit.controller';

/** Gateway controllers in front of the membership service. */
export const MEMBERSHIP_ROUTES = [
  AuthController,
  ResidentsController,
  HouseholdsController,
  OwnershipController,
  VolunteersController,
  PartyController,
  PartnersController,
  ImportsController,
  BodiesController,
  RevealController,
  AuditLogController,
];
