import { DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM, DOMAIN_EVENTS_STREAM, DOMAIN_EVENTS_SUBJECTS } from '@cg/contracts';
import { JetStreamManager, RetentionPolicy, StorageType, StreamConfig, nanos } from 'nats';

const DAY_NS = nanos(24 * 3600 * 1000);

const STREAMS: Partial<StreamConfig>[] = [
  {
    name: DOMAIN_EVENTS_STREAM,
    subjects: [DOMAIN_EVENTS_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: 30 * DAY_NS,
    // Publishes carry the event id as msgID; a re-publish within this window is dropped.
    duplicate_window: nanos(10 * 60 * 1000),
  },
  {
    name: DEAD_LETTER_STREAM,
    subjects: [`${DEAD_LETTER_PREFIX}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: 90 * DAY_NS,
  },
];

/** Creates the streams when missing; several instances starting at once all succeed. */
export async function ensureStreams(jsm: JetStreamManager, replicas = 1): Promise<void> {
  for (const config of STREAMS) {
    try {
      await jsm.streams.info(config.name!);
    } catch {
      try {
        await jsm.streams.add({ ...config, num_replicas: replicas });
      } catch (error) {
        if (!/already in use|already exists/i.test((error as Error).message)) throw error;
      }
    }
  }
}
