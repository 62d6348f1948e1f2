/** Subjects and events of the activities service are added here as its features land. */
export const ACTIVITIES_SERVICE = 'activities';
