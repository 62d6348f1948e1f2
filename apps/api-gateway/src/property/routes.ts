import { Type } from '@nestjs/common';
import { BallotsController } from './ballots.controller';
import { OwnerRegisterController } from './owner-register.controller';

/** Gateway controllers in front of the property service. */
export const PROPERTY_ROUTES: Type<unknown>[] = [OwnerRegisterController, BallotsController];
