import {
  ActivitiesEvents,
  DOMAIN_EVENTS_STREAM,
  EventContract,
  EventEnvelope,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import { eventually, testServiceConfig } from '@cg/testing';
import { JSONCodec, NatsConnection as Connection } from 'nats';
import { Types } from 'mongoose';
import { NotificationsOptions, loadNotificationsOptions } from '../src/options';

export const oid = () => new Types.ObjectId().toHexString();
const codec = JSONCodec();

export function notificationsConfig(runId: string): { config: ServiceConfig; options: NotificationsOptions } {
  return {
    config: testServiceConfig(ServiceName.Notifications, runId),
    // Short ack wait: events a closed instance had received but not handled come back within seconds.
    options: { ...loadNotificationsOptions({}), residenceTtlMs: 60_000, ackWaitMs: 2000, maxEventAgeMs: 3600_000, deliveryPollMs: 200 },
  };
}

export function eventOf<T>(contract: EventContract<T>, communityId: string, data: T): EventEnvelope<T> {
  return newEvent(contract, data, { communityId, actor: 'test', correlationId: `c-${communityId}` });
}

/** Publishes to the domain stream; `msgID` differs from the event id to get past JetStream's duplicate window. */
export async function publish(nats: NatsConnection, event: EventEnvelope, msgID = event.id): Promise<void> {
  await nats.js.publish(event.type, codec.encode(event), { msgID });
}

/** Every durable consumer of the service has handled and acknowledged everything. */
export async function settled(nats: NatsConnection, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    for await (const info of nats.jsm.consumers.list(DOMAIN_EVENTS_STREAM)) {
      if (!info.name.startsWith('notifications-')) continue;
      if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
    }
    return true;
  }, timeoutMs);
}

export function activityPublished(communityId: string, activityId: string, title: string) {
  const now = new Date().toISOString();
  return eventOf(ActivitiesEvents.activityPublished, communityId, {
    activityId,
    title,
    type: 'culture',
    startsAt: now,
    endsAt: now,
    capacity: 10,
  });
}

export interface FakePlace {
  areaId: string;
  gridId: string;
  buildingId: string;
}

/**
 * Answers `grid.residence.get` in place of the grid service, in the wire format of Nest's NATS transport: the
 * inbox asks grid where a reader lives.
 */
export function fakeGridResidence(nc: Connection, places: Map<string, FakePlace>): void {
  const json = JSONCodec<{ id: string; data: { personId: string } }>();
  nc.subscribe('grid.residence.get', {
    queue: ServiceName.Grid,
    callback: (_error, message) => {
      const { id, data } = json.decode(message.data);
      const place = places.get(data.personId);
      const node = (nodeId: string) => ({ id: nodeId, kind: 'x', code: 'x', name: 'x' });
      const reply = place
        ? { id, isDisposed: true, response: { unit: node(oid()), building: node(place.buildingId), grid: node(place.gridId), area: node(place.areaId), staff: [] } }
        : { id, isDisposed: true, err: { code: 'RESIDENT_NOT_FOUND', message: 'unknown' } };
      message.respond(JSONCodec().encode(reply));
    },
  });
}
