import { Jurisdictions } from './jurisdictions';
import { Open311KeysController } from './open311-keys.controller';
import { Open311Keys } from './open311-keys';
import { Open311Controller } from './open311.controller';
import { Open311Service } from './open311.service';

export const OPEN311_ROUTES = [Open311Controller, Open311KeysController];
export const OPEN311_PROVIDERS = [Open311Service, Open311Keys, Jurisdictions];
