import { ExportsController } from './exports.controller';

export const EXPORTS_ROUTES = [ExportsController];
