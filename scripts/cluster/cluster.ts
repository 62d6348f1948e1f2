/**
 * The benchmarks' view of `scripts/cluster.sh`: running it, finding each copy's process and port, reading a copy's
 * CPU time, memory and RPC counters, and the mixed resident load they drive through the load balancer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { HttpError, ROOT, RUN, api, eventually, logIn, mapLimit, seedCommunity, sleep } from '../bench/support';
import type { Step } from './load';

export const SERVICES = ['membership', 'grid', 'activities', 'property', 'notifications'] as const;
export type ClusterApp = (typeof SERVICES)[number] | 'api-gateway';
const BASE_PORT: Record<ClusterApp, number> = {
  'api-gateway': 4000,
  membership: 4100,
  grid: 4200,
  activities: 4300,
  property: 4400,
  notifications: 4500,
};

const STATE = process.env.LOCAL_STATE_DIR ?? join(ROOT, '.local');
const RUN_DIR = join(STATE, 'cluster', 'run');
export const LB_URL = `http://127.0.0.1:${process.env.CLUSTER_PORT ?? 8080}`;
const CLOCK_TICKS = 100;

/** Runs `scripts/cluster.sh` with `args`; its output is shown only when it fails. */
export function cluster(...args: string[]): void {
  try {
    execFileSync('bash', [join(ROOT, 'scripts/cluster.sh'), ...args], { stdio: 'pipe', env: process.env });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    throw new Error(`scripts/cluster.sh ${args.join(' ')} failed`);
  }
}

export interface Copy {
  app: ClusterApp;
  index: number;
  port: number;
  pid: number;
}

/** The copies of `app` that cluster.sh started, by index. */
export function copies(app: ClusterApp): Copy[] {
  if (!existsSync(RUN_DIR)) return [];
  return readdirSync(RUN_DIR)
    .map((file) => new RegExp(`^${app}-(\\d+)\\.pid$`).exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const index = Number(m[1]);
      return { app, index, port: BASE_PORT[app] + index, pid: Number(readFileSync(join(RUN_DIR, m[0]), 'utf8')) };
    })
    .sort((a, b) => a.index - b.index);
}

/** The local NATS and database servers `scripts/servers.sh` started (absent when the environment named others). */
export function servers(): { name: string; pid: number }[] {
  return ['nats', 'mongo']
    .map((name) => ({ name, file: join(STATE, 'run', `${name}.pid`) }))
    .filter(({ file }) => existsSync(file))
    .map(({ name, file }) => ({ name, pid: Number(readFileSync(file, 'utf8')) }));
}

/** User plus system CPU seconds the process has used; NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Number(line!.split(/\s+/)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** NATS requests this copy has handled (the count of its `rpc_handled_duration_seconds` histogram). */
export async function rpcHandled(copy: Copy): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${copy.port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('rpc_handled_duration_seconds_count'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

export function uptime(): string {
  return execFileSync('uptime').toString().trim();
}

/**
 * A POST repeated with the same Idempotency-Key while the gateway answers 503/504 (a busy machine): it lands once.
 */
async function postOnce<T = any>(path: string, token: string, body: unknown): Promise<T> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${LB_URL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    if (attempt >= 8 || (response.status !== 503 && response.status !== 504)) throw new HttpError(response.status, text, `POST ${path}`);
    await sleep(1000 * attempt);
  }
}

const hours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

/**
 * One community with `residents` residents (accounts through the API) and an activity, and the request mix the
 * benchmarks drive: each resident reads their home (`GET /me`), files a case, and registers for the activity (then
 * cancels); staff list the community's cases.
 */
export async function residentMix(residents: number): Promise<{ steps: Step[]; communityId: string }> {
  const username = process.env.BOOTSTRAP_ADMIN_USERNAME ?? 'admin';
  const password = process.env.BOOTSTRAP_ADMIN_PASSWORD ?? 'admin-password';
  const admin = api(LB_URL, await logIn(LB_URL, username, password));
  const community = await seedCommunity(admin, {
    code: `CL${RUN}`,
    buildings: 2,
    grids: 1,
    floors: 4,
    unitsPerFloor: 4,
  });
  const { communityId } = community;
  // One at a time: each account costs a deliberately slow password hash.
  const residentPassword = `cluster-password-${RUN}`;
  const people: { unitId: string; token: string }[] = [];
  for (const [i, unit] of community.units.slice(0, residents).entries()) {
    const username = `cluster.${RUN}.${i}`;
    await postOnce(`/api/v1/communities/${communityId}/residents`, admin.token!, {
      name: `Resident ${i + 1}`,
      phone: `139${String(i).padStart(8, '0')}`,
      unitId: unit.id,
      relation: 'tenant',
      account: { username, password: residentPassword },
    });
    people.push({ unitId: unit.id, token: await eventually(() => logIn(LB_URL, username, residentPassword), 'a login') });
  }
  const activities = `/api/v1/communities/${communityId}/activities`;
  const activity = await postOnce(activities, admin.token!, {
    title: 'Lawn music festival',
    type: 'festival',
    organiser: { kind: 'body', name: "Residents' committee" },
    place: 'Central lawn',
    startsAt: hours(48),
    endsAt: hours(50),
    audience: { scope: 'community' },
    capacity: 10_000,
    registrationOpensAt: hours(-1),
    registrationClosesAt: hours(24),
    familyMembersAllowed: false,
  });
  await postOnce(`${activities}/${activity.id}/publish`, admin.token!, {});
  const cases = `/api/v1/communities/${communityId}/cases`;
  const fileCase = (unitId: string) => ({
    category: 'noise',
    description: 'Drilling after 22:00',
    urgency: 'normal',
    locationKind: 'unit',
    locationId: unitId,
  });
  // Grid and activities learn where residents live from events: wait until each can file and register.
  await mapLimit(people, 4, async (r) => {
    const as = api(LB_URL, r.token);
    await eventually(() => as.post(cases, fileCase(r.unitId)), 'a first case filed');
    const registration = await eventually<{ id: string }>(() => as.post(`${activities}/${activity.id}/registrations`, {}), 'a first registration');
    await as.post(`${activities}/${activity.id}/registrations/${registration.id}/cancel`, {});
  });
  const steps: Step[] = people.flatMap((r) => [
    { kind: 'request', method: 'GET', path: '/api/v1/me', token: r.token },
    { kind: 'request', method: 'POST', path: cases, token: r.token, body: fileCase(r.unitId) },
    { kind: 'request', method: 'GET', path: `${cases}?limit=20`, token: admin.token! },
    { kind: 'register', path: `${activities}/${activity.id}/registrations`, token: r.token },
  ]);
  return { steps, communityId };
}
