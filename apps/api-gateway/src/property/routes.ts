import { Type } from '@nestjs/common';
import { BallotsController } from './ballots.controller';
import { CommitteeController } from './committee.controller';
import { CommitteeElectionsController } from './committee-elections.controller';
import { ConsultationsController } from './consultations.controller';
import { DeliberationController } from './deliberation.controller';
import { OwnerRegisterController } from './owner-register.controller';
import { CommunityPropertyServiceController, PropertyCompaniesController } from './property-companies.controller';
import { SatisfactionSurveysController } from './satisfaction-surveys.controller';
import { ServiceRequestsController } from './service-requests.controller';

/** Gateway controllers in front of the property service. */
export const PROPERTY_ROUTES: Type<unknown>[] = [
  OwnerRegisterController,
  BallotsController,
  PropertyCompaniesController,
  CommunityPropertyServiceController,
  ServiceRequestsController,
  SatisfactionSurveysController,
  ConsultationsController,
  CommitteeElectionsController,
  CommitteeController,
  DeliberationController,
];
