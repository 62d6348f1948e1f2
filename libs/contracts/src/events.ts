import { randomUUID } from 'node:crypto';

/** The envelope every domain event travels in, on JetStream subject `evt.<service>.<aggregate>.<event>`. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  communityId: string;
  actor: string;
  correlationId: string;
  data: T;
}

/** An event type: the subject is the type, so consumers filter on it directly. */
export interface EventContract<T> {
  readonly type: string;
  readonly version: number;
  readonly data?: T;
}

export function event<T>(type: string, version = 1): EventContract<T> {
  return { type, version };
}

export function newEvent<T>(
  contract: EventContract<T>,
  data: T,
  meta: { communityId: string; actor: string; correlationId: string },
): EventEnvelope<T> {
  return {
    id: randomUUID(),
    type: contract.type,
    version: contract.version,
    occurredAt: new Date().toISOString(),
    communityId: meta.communityId,
    actor: meta.actor,
    correlationId: meta.correlationId,
    data,
  };
}

/** Stream holding every domain event. */
export const DOMAIN_EVENTS_STREAM = 'DOMAIN_EVENTS';
export const DOMAIN_EVENTS_SUBJECTS = 'evt.>';
/** Stream holding events a consumer gave up on, on `dlq.<consumer>`. */
export const DEAD_LETTER_STREAM = 'DEAD_LETTERS';
export const DEAD_LETTER_PREFIX = 'dlq';
