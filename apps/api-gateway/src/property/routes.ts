import { Type } from '@nestjs/common';
/** Gateway controllers in front of the property service. */
export const PROPERTY_ROUTES: Type<unknown>[] = [];
