/**
 * Load through the cluster's load balancer from a worker thread, recording every request (when it started, how long
 * it took, its status), so a benchmark can cut the run into phases afterwards. A registration is followed by its
 * cancellation, so the same residents can register again and again.
 */
import { Worker } from 'node:worker_threads';
import { percentile } from '../bench/support';

export type Step =
  | { kind: 'request'; method: 'GET' | 'POST'; path: string; token: string; body?: unknown }
  /** POST `path` (an activity's registrations), then cancel the registration it answered. */
  | { kind: 'register'; path: string; token: string };

export interface LoadPlan {
  baseUrl: string;
  steps: Step[];
  seconds: number;
  /** Closed loop: this many lanes, each sending its next request when the last one answered. */
  connections?: number;
  /** Open loop: requests started per second whatever the replies (takes precedence over `connections`). */
  rate?: number;
  timeoutMs?: number;
}

/** One request: start (epoch ms), latency, HTTP status (0: no reply) and route. */
export interface Sample {
  at: number;
  ms: number;
  status: number;
  route: string;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { baseUrl, steps, seconds, connections, rate, timeoutMs } = workerData;
const samples = [];
const firstErrors = {};
const routeOf = (method, path) => method + ' ' + path.replace(/[0-9a-f]{24}|[0-9a-f-]{36}/g, '{id}').split('?')[0];
const send = async (method, path, token, body) => {
  const at = Date.now();
  const t0 = performance.now();
  const route = routeOf(method, path);
  try {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { authorization: 'Bearer ' + token, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    samples.push({ at, ms: performance.now() - t0, status: response.status, route });
    if ((response.status < 200 || response.status > 299) && !firstErrors[response.status]) firstErrors[response.status] = route + ': ' + text.slice(0, 300);
    return response.status >= 200 && response.status < 300 ? JSON.parse(text || 'null') : undefined;
  } catch (error) {
    samples.push({ at, ms: performance.now() - t0, status: 0, route });
    firstErrors[0] ??= route + ': ' + String(error && error.cause ? error.cause : error);
    return undefined;
  }
};
const perform = async (step) => {
  if (step.kind === 'request') return send(step.method, step.path, step.token, step.body);
  // One registration per resident at a time: a second while the first is live would be refused as a duplicate.
  if (registering.has(step.token)) return;
  registering.add(step.token);
  try {
    await registerAndCancel(step);
  } finally {
    registering.delete(step.token);
  }
};
const registering = new Set();
const registerAndCancel = async (step) => {
  const registration = await send('POST', step.path, step.token, {});
  // A cancellation that failed is tried again, as the app would: a registration left live would refuse the next one.
  for (let attempt = 0; registration && registration.id && attempt < 5; attempt++) {
    if (await send('POST', step.path + '/' + registration.id + '/cancel', step.token, {})) return;
    await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
  }
};
let end = Date.now() + seconds * 1000;
parentPort.on('message', (message) => { if (message === 'stop') end = Math.min(end, Date.now()); });
(async () => {
  const started = Date.now();
  let next = 0;
  if (rate) {
    const inFlight = [];
    await new Promise((done) => {
      const tick = setInterval(() => {
        const due = Math.floor(((Date.now() - started) / 1000) * rate);
        while (next < due) inFlight.push(perform(steps[next++ % steps.length]));
        if (Date.now() >= end) (clearInterval(tick), done());
      }, 5);
    });
    await Promise.all(inFlight);
  } else {
    const lane = async () => { while (Date.now() < end) await perform(steps[next++ % steps.length]); };
    await Promise.all(Array.from({ length: connections }, lane));
  }
  parentPort.postMessage({ samples, firstErrors, started, ended: Date.now() });
})().catch((error) => parentPort.postMessage({ failed: String(error) }));
`;

export interface LoadRun {
  samples: Sample[];
  /** The first reply body of each non-2xx status, to say what went wrong. */
  firstErrors: Record<string, string>;
  started: number;
  ended: number;
}

/** Runs the plan to its end. */
export function clusterLoad(plan: LoadPlan): Promise<LoadRun> {
  return startLoad(plan).finished;
}

/** Starts the plan; `stop()` ends it early (requests in flight are awaited). */
export function startLoad(plan: LoadPlan): { finished: Promise<LoadRun>; stop(): void } {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { connections: 16, timeoutMs: 10_000, ...plan },
  });
  const finished = new Promise<LoadRun>((done, fail) => {
    worker.once('message', (message: LoadRun | { failed: string }) => {
      void worker.terminate();
      if ('failed' in message) fail(new Error(message.failed));
      else done(message);
    });
    worker.once('error', fail);
  });
  return { finished, stop: () => worker.postMessage('stop') };
}

export interface PhaseFigures {
  requests: number;
  rate: number;
  ok: number;
  /** Not 2xx and not 429 (a refusal the client is told to retry later), including no reply. */
  failed: number;
  throttled: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

/** Figures of the requests started in [from, to). */
export function phase(samples: Sample[], from: number, to: number): PhaseFigures {
  const inside = samples.filter((s) => s.at >= from && s.at < to);
  const statuses: Record<string, number> = {};
  for (const s of inside) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const good = inside.filter((s) => s.status >= 200 && s.status < 300);
  const throttled = statuses['429'] ?? 0;
  const sorted = good.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: inside.length,
    rate: good.length / Math.max(0.001, (to - from) / 1000),
    ok: good.length,
    failed: inside.length - good.length - throttled,
    throttled,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    statuses,
  };
}
