import { Type } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';

/** Gateway controllers in front of the notifications service. */
export const NOTIFICATIONS_ROUTES: Type<unknown>[] = [NotificationsController];
