import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEAD_LETTER_STREAM, EventEnvelope, event, newEvent } from '@cg/contracts';
import { AuthModule } from '@cg/auth';
import { DurableConsumers, EventPublisher, MessagingModule, NatsConnection } from '@cg/messaging';
import { ObservabilityModule } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';

interface Ping {
  n: number;
}

describe('durable consumers on JetStream', () => {
  const id = runId();
  const config = testServiceConfig('messaging-test', id);
  let app: INestApplicationContext;
  let consumers: DurableConsumers;
  let publisher: EventPublisher;
  let nats: NatsConnection;

  beforeAll(async () => {
    @Module({ imports: [ObservabilityModule.forRoot(config), AuthModule.forRoot(config), MessagingModule] })
    class TestModule {}
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    await app.init();
    consumers = app.get(DurableConsumers);
    publisher = app.get(EventPublisher);
    nats = app.get(NatsConnection);
  });

  afterAll(async () => {
    await app.close();
  });

  const ping = (name: string) => event<Ping>(`evt.test.${id}.${name}`);
  const meta = { communityId: 'c', actor: 'test', correlationId: `corr-${id}` };

  it('drops a re-published event with the same id (message id de-duplication)', async () => {
    const contract = ping('dedupe');
    const handled: string[] = [];
    await consumers.start({ durable: `dedupe-${id}`, event: contract, handle: async (e) => void handled.push(e.id) });
    const envelope = newEvent(contract, { n: 1 }, meta);
    await publisher.publish(envelope);
    await publisher.publish(envelope);
    await eventually(async () => handled.length === 1);
    const info = await nats.jsm.consumers.info('DOMAIN_EVENTS', `dedupe-${id}`);
    expect(info.delivered.stream_seq).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).toEqual([envelope.id]);
  });

  it('redelivers after a failure until the handler succeeds, with the correlation id of the event', async () => {
    const contract = ping('retry');
    let attempts = 0;
    const done: EventEnvelope<Ping>[] = [];
    await consumers.start({
      durable: `retry-${id}`,
      event: contract,
      maxDeliver: 5,
      handle: async (e) => {
        attempts += 1;
        if (attempts < 2) throw new Error('database briefly unavailable');
        done.push(e);
      },
    });
    await publisher.publish(newEvent(contract, { n: 7 }, meta));
    await eventually(async () => done.length === 1, 15_000);
    expect(attempts).toBe(2);
    expect(done[0].data).toEqual({ n: 7 });
    expect(done[0].correlationId).toBe(meta.correlationId);
  });

  it('moves an event to the dead-letter subject after the last allowed delivery', async () => {
    const contract = ping('poison');
    let attempts = 0;
    await consumers.start({
      durable: `poison-${id}`,
      event: contract,
      maxDeliver: 2,
      handle: async () => {
        attempts += 1;
        throw new Error('cannot handle this event');
      },
    });
    const envelope = newEvent(contract, { n: 13 }, meta);
    await publisher.publish(envelope);
    const letter = await eventually(async () => {
      try {
        const msg = await nats.jsm.streams.getMessage(DEAD_LETTER_STREAM, { last_by_subj: `dlq.poison-${id}` });
        return msg.json<{ consumer: string; error: string; deliveries: number; payload: string }>();
      } catch {
        return undefined;
      }
    }, 15_000);
    expect(attempts).toBe(2);
    expect(letter).toMatchObject({ consumer: `poison-${id}`, error: 'cannot handle this event', deliveries: 2 });
    expect(JSON.parse(letter.payload).id).toBe(envelope.id);
  });

  it('hands waiting events over in batches, and one by one with retries when a batch fails', async () => {
    const contract = ping('batch');
    const batches: number[] = [];
    const handled = new Map<string, number>();
    let failOnce = true;
    await consumers.start({
      durable: `batch-${id}`,
      event: contract,
      batchSize: 50,
      handleBatch: async (events) => {
        if (failOnce && events.length > 1) {
          failOnce = false;
          throw new Error('the database refused the batch');
        }
        batches.push(events.length);
        for (const e of events) handled.set(e.id, (handled.get(e.id) ?? 0) + 1);
      },
      handle: async (e) => void handled.set(e.id, (handled.get(e.id) ?? 0) + 1),
    });
    const events = Array.from({ length: 500 }, (_, n) => newEvent(contract, { n }, meta));
    await Promise.all(events.map((e) => publisher.publish(e)));
    await eventually(async () => handled.size === 500, 30_000);
    // Every event handled exactly once, the failed batch's events one by one, the rest in batches of at most 50.
    expect([...handled.values()].every((count) => count === 1)).toBe(true);
    expect(Math.max(...batches)).toBeLessThanOrEqual(50);
    expect(batches.some((size) => size > 1)).toBe(true);
    expect(failOnce).toBe(false);
    const info = await nats.jsm.consumers.info('DOMAIN_EVENTS', `batch-${id}`);
    await eventually(async () => (await nats.jsm.consumers.info('DOMAIN_EVENTS', `batch-${id}`)).num_ack_pending === 0);
    expect(info.num_redelivered).toBe(0);
  });
});
