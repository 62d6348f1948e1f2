export * from './dto';
export * from './views';
export * from './events';
export * from './subjects';
export * from './announcements';
export * from './competitions';

export const ACTIVITIES_SERVICE = 'activities';
