import { rpc } from './rpc';

/** Service names: each is the NATS queue group, the database name prefix and the log `service` field. */
export const ServiceName = {
  Gateway: 'api-gateway',
  Membership: 'membership',
  Grid: 'grid',
  Activities: 'activities',
  Property: 'property',
  Notifications: 'notifications',
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];

/** Answered by every service app without touching its database: the service runs and takes requests. */
export const HealthRpc = {
  ping: (service: string) => rpc<Record<string, never>, { service: string }>(`${service}.health.ping`),
};
