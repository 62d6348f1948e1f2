export * from './dto';
export * from './views';
export * from './events';
export * from './subjects';

export const ACTIVITIES_SERVICE = 'activities';
