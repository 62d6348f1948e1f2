import { Controller, INestApplication, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { rpc } from '@cg/contracts';
import { AuthModule } from '@cg/auth';
import { MessagingModule, RpcClient, drainAndClose, startServiceApp } from '@cg/messaging';
import { HealthRegistry, ObservabilityModule, SERVICE_CONFIG, ServiceConfig } from '@cg/observability';
import { runId, testServiceConfig } from '@cg/testing';

const id = runId();
const work = rpc<{ ms: number }, { by: string }>(`test-${id}.drain.work`);

describe('an instance stopped on SIGTERM', () => {
  const service = `drain-${id}`;
  const copies: INestApplication[] = [];
  let caller: INestApplication;

  const start = async (name: string) => {
    const config = testServiceConfig(service, id, { rpcTimeoutMs: 3000 });
    @Controller()
    class WorkController {
      @MessagePattern(work.subject)
      async work(@Payload() body: { ms: number }): Promise<{ by: string }> {
        await new Promise((resolve) => setTimeout(resolve, body.ms));
        return { by: name };
      }
    }
    @Module({
      imports: [ObservabilityModule.forRoot(config), AuthModule.forRoot(config), MessagingModule],
      controllers: [WorkController],
    })
    class WorkModule {}
    return startServiceApp(WorkModule, config);
  };

  beforeAll(async () => {
    copies.push(await start('first'), await start('second'));
    const config = testServiceConfig(`drain-caller-${id}`, id, { rpcTimeoutMs: 3000 });
    @Module({ imports: [ObservabilityModule.forRoot(config), AuthModule.forRoot(config), MessagingModule] })
    class CallerModule {}
    caller = await startServiceApp(CallerModule, config);
  });

  afterAll(async () => {
    await Promise.all([...copies.slice(1), caller].map((app) => app.close()));
  });

  it('drops out of readiness, finishes what it works on, and loses no request while its copy takes the rest', async () => {
    const client = caller.get(RpcClient);
    const [first] = copies;
    const answered: string[] = [];
    const failed: string[] = [];
    const call = () =>
      client.send(work, { ms: 200 }).then(
        (reply) => void answered.push(reply.by),
        (error: { code?: string }) => void failed.push(String(error.code)),
      );
    // A steady stream of requests, with the first copy told to stop in the middle of it.
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) calls.push(call());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const config = { ...first.get<ServiceConfig>(SERVICE_CONFIG), drainDelayMs: 200 };
    const drained = drainAndClose(first, config);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await first.get(HealthRegistry).readiness()).status).toBe('down');
    for (let i = 0; i < 40; i++) {
      calls.push(call());
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await drained;
    await Promise.all(calls);
    expect(failed).toEqual([]);
    expect(answered).toHaveLength(50);
    // The first copy answered what it had taken before it stopped taking requests; the second took the rest.
    expect(answered.filter((by) => by === 'first').length).toBeGreaterThan(0);
    expect(answered.slice(-10).every((by) => by === 'second')).toBe(true);
  });
});
