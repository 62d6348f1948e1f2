import { Type } from '@nestjs/common';
/** Gateway controllers in front of the activities service. */
export const ACTIVITIES_ROUTES: Type<unknown>[] = [];
