import { AuditedEvent, EventEnvelope } from '@cg/contracts';
import { Types } from 'mongoose';
import { AuditEntry } from './audit-entry.schema';

const PERSONAL_NUMBER_KEYS = /^(phone|idnumber|id_number|idnumberincommunity)$/i;

/** A copy of `value` without phone or ID number fields at any depth. */
export function withoutPersonalNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPersonalNumbers);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !PERSONAL_NUMBER_KEYS.test(key))
      .map(([key, v]) => [key, withoutPersonalNumbers(v)]),
  );
}

/** The entry an audited event makes; none for an event outside any community. */
export function entryOf(audited: AuditedEvent, event: EventEnvelope): AuditEntry | undefined {
  if (!Types.ObjectId.isValid(event.communityId)) return undefined;
  return {
    _id: event.id,
    communityId: new Types.ObjectId(event.communityId),
    at: new Date(event.occurredAt),
    actor: event.actor,
    action: event.type,
    object: { kind: audited.objectKind, id: audited.objectId(event.data) },
    summary: audited.summary(event.data),
    details: withoutPersonalNumbers(event.data) as Record<string, unknown>,
  };
}

/** The opaque cursor of a newest-first page: the last entry's time and id. */
export function cursorOf(entry: Pick<AuditEntry, 'at' | '_id'>): string {
  return `${entry.at.getTime()}_${entry._id}`;
}

export function parseCursor(cursor: string): { at: Date; id: string } | undefined {
  const match = /^(\d{1,15})_(.{1,48})$/.exec(cursor);
  return match ? { at: new Date(Number(match[1])), id: match[2] } : undefined;
}

/** Seconds until the oldest of `limit` reveals in the window leaves it, when the account has used them all. */
export function revealWaitSeconds(
  revealTimes: Date[],
  limit: number,
  windowMs: number,
  now: Date,
): number | undefined {
  if (revealTimes.length < limit) return undefined;
  const oldest = Math.min(...revealTimes.map((at) => at.getTime()));
  return Math.max(1, Math.ceil((oldest + windowMs - now.getTime()) / 1000));
}

/** A durable consumer name for an audited event type, e.g. `membership-audit-membership-resident-registered`. */
export function auditConsumerName(type: string): string {
  return `membership-audit-${type.replace(/^evt\./, '').replace(/[^a-z0-9-]/gi, '-')}`;
}
