import { INestApplication } from '@nestjs/common';
import { HealthRegistry, Logger, PINO_LOGGER, ServiceConfig } from '@cg/observability';
import type { Subscription } from 'nats';
import { RpcScopeInterceptor } from './rpc-server';

const POLL_MS = 20;

/**
 * Stops an instance without failing a request: readiness answers 503 first (and stays so for `drainDelayMs`, while
 * load balancers and the orchestrator notice), then it takes no new NATS requests (its queue-group subscriptions
 * drain, so NATS sends the next ones to the other copies), then it waits for the requests it is working on (at most
 * the RPC timeout: past that their callers have given up), and only then closes consumers, relays and connections.
 */
export async function drainAndClose(app: INestApplication, config: ServiceConfig): Promise<void> {
  const logger = app.get<Logger>(PINO_LOGGER);
  const started = Date.now();
  app.get(HealthRegistry).startDraining();
  logger.info({ drainDelayMs: config.drainDelayMs }, 'draining: readiness is down');
  await sleep(config.drainDelayMs);
  for (const microservice of app.getMicroservices()) {
    const server = (microservice as unknown as { serverInstance?: { subscriptions?: Subscription[] } }).serverInstance;
    await Promise.all((server?.subscriptions ?? []).map((sub) => sub.drain().catch(() => undefined)));
  }
  // The gateway has no RPC server: its HTTP server waits for the requests in flight when it closes.
  const working = app.getMicroservices().length > 0 ? app.get(RpcScopeInterceptor, { strict: false }) : undefined;
  const until = Date.now() + config.rpcTimeoutMs;
  while (working && working.working > 0 && Date.now() < until) await sleep(POLL_MS);
  logger.info({ unfinished: working?.working ?? 0, drainedMs: Date.now() - started }, 'drained: closing');
  // Closing the HTTP server waits for every open connection: a load balancer's kept-alive ones and event streams
  // would hold it for as long as they live. Past the RPC timeout no request of ours is still being answered.
  const server = app.getHttpServer() as { closeAllConnections?: () => void };
  const cut = setTimeout(() => server.closeAllConnections?.(), config.rpcTimeoutMs);
  cut.unref();
  await app.close();
  clearTimeout(cut);
}

/** SIGTERM and SIGINT drain the instance once, then end the process. */
export function closeGracefullyOnSignal(app: INestApplication, drain: () => Promise<void>): void {
  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    closing ??= drain().then(
      () => process.exit(0),
      (error: unknown) => {
        app.get<Logger>(PINO_LOGGER).error({ err: error, signal }, 'drain failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
