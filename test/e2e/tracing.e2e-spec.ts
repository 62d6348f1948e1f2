import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ServiceName, event, newEvent } from '@cg/contracts';
import { OutboxEvent, pushEvents } from '@cg/messaging';
import { activeTraceIds, startTracing, stopTracing, tracer } from '@cg/observability';
import { OWNER_REGISTER_CONSUMER } from '../../apps/property/src/owners/owner-register.service';
import { ADMIN, TestSystem, client } from './support/system';

const SERVICES_OF_THE_HOME_SCREEN = [
  ServiceName.Membership,
  ServiceName.Grid,
  ServiceName.Activities,
  ServiceName.Property,
  ServiceName.Notifications,
];

const service = (span: ReadableSpan) => span.instrumentationScope.name;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

async function eventually<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a request is traced across the gateway and every NATS hop', () => {
  const exporter = new InMemorySpanExporter();
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let cid: string;
  let unitId: string;
  let personId: string;

  async function login(username: string, password: string) {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    return client(system.baseUrl, res.body.accessToken);
  }

  beforeAll(async () => {
    expect(startTracing(ServiceName.Gateway, { exporter, env: {} })).toBe(true);
    await system.start();
    admin = await login(ADMIN.username, ADMIN.password);
    cid = (await admin.post('/api/v1/communities', { code: `T${system.id}`, name: 'Traces', district: 'D', street: 'S' })).body.id;
    const area = await admin.post(`/api/v1/communities/${cid}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`/api/v1/communities/${cid}/grids`, { areaId: area.body.id, code: 'G1', name: 'Grid 1' });
    const bulk = await admin.post(`/api/v1/communities/${cid}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [{ code: 'B1', floors: 1, unitsPerFloor: 2 }],
    });
    const units = await admin.get(`/api/v1/communities/${cid}/buildings/${bulk.body.buildings[0].id}/units`);
    unitId = units.body.items[0].id;
    const registered = await admin.post(`/api/v1/communities/${cid}/residents`, {
      name: 'Qian Hui',
      phone: '13600000000',
      unitId,
      relation: 'owner',
      account: { username: `qian.hui.${system.id}`, password: 'resident-password' },
    });
    expect(registered.status).toBe(201);
    personId = registered.body.id;
    resident = await login(`qian.hui.${system.id}`, 'resident-password');
  });

  afterAll(async () => {
    await system.stop();
    await stopTracing();
  });

  it("puts the home screen's gateway span and the spans of every service it reached in one trace, each under its caller", async () => {
    exporter.reset();
    const me = await resident.get('/api/v1/me');
    expect(me.status).toBe(200);
    const http = await eventually(
      () => exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.name === 'GET /api/v1/me'),
      'gateway span',
    );
    expect(service(http)).toBe(ServiceName.Gateway);
    expect(parentOf(http)).toBeUndefined();
    expect(http.attributes['http.response.status_code']).toBe(200);
    const { traceId } = http.spanContext();
    // Server spans end just before their reply reaches the caller: wait for the calls of the trace to settle.
    const trace = await eventually(() => {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      const clients = spans.filter((s) => s.kind === SpanKind.CLIENT && service(s) !== '@opentelemetry/instrumentation-mongoose');
      const servers = spans.filter((s) => s.kind === SpanKind.SERVER && s !== http);
      return clients.length > 0 && clients.length === servers.length ? spans : undefined;
    }, 'complete trace');
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));

    for (const span of trace.filter((s) => s !== http)) {
      expect({ span: span.name, parentInTrace: byId.has(parentOf(span)!) }).toEqual({ span: span.name, parentInTrace: true });
    }
    const calls = trace.filter((s) => s.kind === SpanKind.CLIENT && service(s) === ServiceName.Gateway);
    expect(calls.length).toBeGreaterThanOrEqual(SERVICES_OF_THE_HOME_SCREEN.length);
    for (const call of calls) expect(parentOf(call)).toBe(http.spanContext().spanId);
    const handled = trace.filter((s) => s.kind === SpanKind.SERVER && s !== http);
    for (const server of handled) {
      const caller = byId.get(parentOf(server)!)!;
      expect({ server: server.name, callerKind: caller.kind, caller: caller.name }).toEqual({
        server: server.name,
        callerKind: SpanKind.CLIENT,
        caller: server.name,
      });
    }
    expect(new Set(handled.map(service))).toEqual(new Set(SERVICES_OF_THE_HOME_SCREEN));
    const queries = trace.filter((s) => service(s) === '@opentelemetry/instrumentation-mongoose');
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(byId.get(parentOf(query)!)!.kind).toBe(SpanKind.SERVER);
  });

  it.each([
    ['a first record, inserted with its event', '88.20'],
    ['a change, updated with its event pushed to the outbox', '91.05'],
  ])('links the span of a consumer in another service to the write that stored the event: %s', async (_write, registerArea) => {
    exporter.reset();
    const recorded = await admin.put(`/api/v1/communities/${cid}/units/${unitId}/ownership`, { ownerPersonIds: [personId], registerArea });
    expect(recorded.status).toBe(200);
    const processed = await eventually(
      () =>
        exporter
          .getFinishedSpans()
          .find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.consumer.group.name'] === OWNER_REGISTER_CONSUMER),
      'consumer span',
    );
    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const http = spans.find(
      (s) => s.kind === SpanKind.SERVER && s.attributes['http.request.method'] === 'PUT' && String(s.attributes['http.route']).endsWith('/ownership'),
    )!;
    expect(http).toBeDefined();

    expect(service(processed)).toBe(ServiceName.Property);
    expect(processed.links).toHaveLength(1);
    const write = byId.get(processed.links[0].context.spanId)!;
    expect({ kind: write.kind, service: service(write), name: write.name, parent: byId.get(parentOf(write)!)?.name }).toEqual({
      kind: SpanKind.SERVER,
      service: ServiceName.Membership,
      name: 'membership.ownership.record',
      parent: 'membership.ownership.record',
    });
    const publish = byId.get(parentOf(processed)!)!;
    expect({ kind: publish.kind, service: service(publish), parent: parentOf(publish) }).toEqual({
      kind: SpanKind.PRODUCER,
      service: ServiceName.Membership,
      parent: write.spanContext().spanId,
    });
    expect(new Set([http, write, publish, processed].map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it('stores the active trace context with each event pushed in an update', () => {
    tracer(ServiceName.Membership).startActiveSpan('write', (span) => {
      const done = newEvent(event('evt.membership.test.done'), {}, { communityId: cid, actor: 'tester', correlationId: 'c' });
      const [stored] = pushEvents(done).$push.outbox.$each as OutboxEvent[];
      expect(stored.trace?.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      span.end();
    });
  });

  it('gives log lines the ids of the active span', () => {
    tracer(ServiceName.Gateway).startActiveSpan('log line', (span) => {
      expect(activeTraceIds()).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      span.end();
    });
    expect(activeTraceIds()).toEqual({});
  });
});
