import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'public-route';

/** An HTTP route that needs no token (login, health, metrics). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
