/** Service names: each is the NATS queue group, the database name prefix and the log `service` field. */
export const ServiceName = {
  Gateway: 'api-gateway',
  Membership: 'membership',
  Grid: 'grid',
  Activities: 'activities',
  Property: 'property',
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];
