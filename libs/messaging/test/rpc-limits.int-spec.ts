import { Controller, INestApplication, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainException, ErrorCode, Headers, rpc } from '@cg/contracts';
import { AuthModule } from '@cg/auth';
import { MessagingModule, NatsConnection, RpcClient, startServiceApp } from '@cg/messaging';
import { Metrics, ObservabilityModule, runInScope } from '@cg/observability';
import { runId, testServiceConfig } from '@cg/testing';
import { JSONCodec, headers } from 'nats';

const id = runId();
const slow = rpc<{ ms: number }, { done: true }>(`test-${id}.work.slow`);
const handled: number[] = [];

@Controller()
class WorkController {
  @MessagePattern(slow.subject)
  async slow(@Payload() body: { ms: number }): Promise<{ done: true }> {
    handled.push(body.ms);
    await new Promise((resolve) => setTimeout(resolve, body.ms));
    return { done: true };
  }
}

const codeOf = (outcome: PromiseSettledResult<unknown>) =>
  outcome.status === 'rejected' ? (outcome.reason as DomainException).code : 'ok';

describe('a service refuses work it should not do', () => {
  const config = testServiceConfig(`rpc-limits-${id}`, id, { rpcMaxInFlight: 3 });
  let app: INestApplication;
  let client: RpcClient;
  let metrics: Metrics;

  beforeAll(async () => {
    @Module({
      imports: [ObservabilityModule.forRoot(config), AuthModule.forRoot(config), MessagingModule],
      controllers: [WorkController],
    })
    class WorkModule {}
    app = await startServiceApp(WorkModule, config);
    client = app.get(RpcClient);
    metrics = app.get(Metrics);
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => handled.splice(0));

  const refused = async (reason: string) =>
    (await metrics.rpcRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

  it('works on as many requests at once as its bound allows and refuses the rest at once with 503', async () => {
    const settled: string[] = [];
    const calls = Array.from({ length: 10 }, () =>
      client.send(slow, { ms: 400 }).then(
        () => void settled.push('ok'),
        (error: DomainException) => {
          settled.push(error.code);
          throw error;
        },
      ),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map(codeOf).filter((c) => c === 'ok')).toHaveLength(3);
    expect(outcomes.map(codeOf).filter((c) => c === ErrorCode.SERVICE_UNAVAILABLE)).toHaveLength(7);
    // The refusals came back before any accepted request finished: nothing waited in a queue.
    expect(settled.slice(0, 7)).toEqual(Array(7).fill(ErrorCode.SERVICE_UNAVAILABLE));
    expect(handled).toHaveLength(3);
    expect(await refused('overloaded')).toBe(7);
  });

  it('drops a request whose caller has already stopped waiting, without working on it', async () => {
    const nats = app.get(NatsConnection);
    const h = headers();
    h.set(Headers.deadline, String(Date.now() - 1));
    const reply = await nats.nc.request(
      slow.subject,
      JSONCodec().encode({ pattern: slow.subject, data: { ms: 1 }, id: `expired-${id}` }),
      { timeout: 2000, headers: h },
    );
    const body = JSONCodec<{ err?: { code: string } }>().decode(reply.data);
    expect(body.err?.code).toBe(ErrorCode.UPSTREAM_TIMEOUT);
    expect(handled).toEqual([]);
    expect(await refused('expired')).toBe(1);
  });

  it('makes no further call once the request it serves has run out of time', async () => {
    const outcome = await runInScope({ correlationId: `late-${id}`, deadline: Date.now() - 1 }, () =>
      client.send(slow, { ms: 1 }).then(
        () => 'sent',
        (error: DomainException) => error.code,
      ),
    );
    expect(outcome).toBe(ErrorCode.UPSTREAM_TIMEOUT);
    expect(handled).toEqual([]);
  });

  it('answers 503, not 500, when the service cannot be reached', async () => {
    const nobody = rpc<object, object>(`test-${id}.nobody.here`);
    await expect(client.send(nobody, {}, { timeoutMs: 1000 })).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
  });
});
