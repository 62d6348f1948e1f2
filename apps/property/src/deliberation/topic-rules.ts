import { TopicDecision, TopicScope } from '@cg/contracts';

export const DEFAULT_TOPIC_EXPIRY_DAYS = 30;
const DAY_MS = 86_400_000;

/** TOPIC_EXPIRY_DAYS: a whole number of days, 1 to 3650; refused at boot otherwise. */
export function topicExpiryDaysOf(configured: string | undefined): number {
  if (configured === undefined || configured === '') return DEFAULT_TOPIC_EXPIRY_DAYS;
  const days = Number(configured);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(`TOPIC_EXPIRY_DAYS must be a whole number of days from 1 to 3650; got "${configured}"`);
  }
  return days;
}

export function expiresAtOf(raisedAt: Date, days: number): Date {
  return new Date(raisedAt.getTime() + days * DAY_MS);
}

export interface TopicClock {
  expiresAt?: Date;
  /** When a support first brought the topic to the threshold, before it expired. */
  thresholdReachedAt?: Date;
}

/**
 * A topic expires at `expiresAt` unless it reached the threshold before then; the instant itself is expired.
 * Topics stored before expiry existed have no `expiresAt` and never expire.
 */
export function isExpired(topic: TopicClock, now: Date): boolean {
  return !topic.thresholdReachedAt && topic.expiresAt !== undefined && now.getTime() >= topic.expiresAt.getTime();
}

export interface Home {
  buildingId: string;
  gridId: string;
}

/** Whether a resident living at `home` (null: not living in the community) may support a topic of this scope. */
export function withinScope(topic: { scope: TopicScope; scopeId?: string }, home: Home | null): boolean {
  if (!home) return false;
  switch (topic.scope) {
    case TopicScope.Community:
      return true;
    case TopicScope.Grid:
      return topic.scopeId === home.gridId;
    case TopicScope.Building:
      return topic.scopeId === home.buildingId;
  }
}

export type BallotReadiness =
  | { ready: true }
  | { ready: false; reason: 'not_taken_up' | 'no_response' | 'not_referred' };

/** A topic goes to the owners' assembly only after a take-up and the committee's response referring it there. */
export function ballotReadiness(takeUp: unknown, response: { decision: TopicDecision } | null | undefined): BallotReadiness {
  if (!takeUp) return { ready: false, reason: 'not_taken_up' };
  if (!response) return { ready: false, reason: 'no_response' };
  if (response.decision !== TopicDecision.ReferredToBallot) return { ready: false, reason: 'not_referred' };
  return { ready: true };
}
