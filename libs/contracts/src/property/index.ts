/** Subjects and events of the property service are added here as its features land. */
export const PROPERTY_SERVICE = 'property';
