/**
 * Faults under write load, the system running as separate processes: SIGKILL of each service in turn, a NATS
 * restart on the same JetStream store, a database restart on the same H2 file. During each, residents file cases,
 * post micro-wishes and register for activities, retrying every 503/504/no reply with the same Idempotency-Key.
 * Afterwards the services' databases must hold every accepted write (0 lost) and each logical write once
 * (0 duplicates); replies are counted by status (500s must be 0) and the recovery time is the time from the restart
 * until the writes that failed answer 2xx again. Exit code 1 when a write is lost or stored twice, or on a 500.
 *
 *   npm run build && npm run chaos
 *   CHAOS_SCENARIOS=grid,nats node dist/scripts/chaos/run.js
 */
import { Connection, Types, createConnection } from 'mongoose';
import {
  Api,
  RUN,
  api,
  eventually,
  logIn,
  machineLine,
  positiveEnv,
  seedCommunity,
  seedResidentsThroughApi,
  sleep,
  table,
  ADMIN,
} from '../bench/support';
import { AppName, ProcessSystem } from './system';
import { LogicalWrite, Reply, WriteKind, WriteLoad, Writer } from './writes';

const WRITERS = positiveEnv('CHAOS_WRITERS', 10);
const LEAD_SECONDS = positiveEnv('CHAOS_LEAD_SECONDS', 3);
const DOWN_SECONDS = positiveEnv('CHAOS_DOWN_SECONDS', 4);
const TAIL_SECONDS = positiveEnv('CHAOS_TAIL_SECONDS', 3);
const RETRY_SECONDS = positiveEnv('CHAOS_RETRY_SECONDS', 60);
const PAUSE_MS = positiveEnv('CHAOS_PAUSE_MS', 100);
const ACTIVITIES_PER_SCENARIO = positiveEnv('CHAOS_ACTIVITIES', 4);
const RECOVERY_SECONDS = positiveEnv('CHAOS_RECOVERY_SECONDS', 30);

type Target = AppName | 'nats' | 'mongo';
interface Scenario {
  name: string;
  target: Target;
}
const ALL: Scenario[] = [
  { name: 'kill -9 membership', target: 'membership' },
  { name: 'kill -9 grid', target: 'grid' },
  { name: 'kill -9 activities', target: 'activities' },
  { name: 'kill -9 property', target: 'property' },
  { name: 'NATS restart', target: 'nats' },
  { name: 'database restart', target: 'mongo' },
];

interface Verdict {
  scenario: string;
  writes: LogicalWrite[];
  replies: Reply[];
  lost: LogicalWrite[];
  duplicated: LogicalWrite[];
  storedWithout2xx: number;
  recovery: string;
  /** Like recovery, for any final answer (not 503, 504 or no reply). */
  answering: string;
  downMs: number;
  samples: Map<string, string>;
}

const hours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const isOk = (status: number) => status >= 200 && status < 300;

async function openActivities(admin: Api, communityId: string, label: string): Promise<string[]> {
  const base = `/api/v1/communities/${communityId}/activities`;
  const ids: string[] = [];
  for (let i = 0; i < ACTIVITIES_PER_SCENARIO; i++) {
    const activity = await admin.post(base, {
      title: `Chaos activity ${label} ${i}`,
      type: 'sports',
      organiser: { kind: 'body', name: "Residents' committee" },
      place: 'Riverside park',
      startsAt: hours(48),
      endsAt: hours(52),
      audience: { scope: 'community' },
      capacity: 1000,
      registrationOpensAt: hours(-1),
      registrationClosesAt: hours(24),
      familyMembersAllowed: false,
    });
    await admin.post(`${base}/${activity.id}/publish`);
    ids.push(activity.id);
  }
  return ids;
}

/** How many times each logical write is stored, read from the services' own databases. */
async function storedCounts(
  system: ProcessSystem,
  communityId: string,
  activityIds: string[],
): Promise<Map<string, number>> {
  // A connection of its own each time: one opened before a database restart does not come back for new databases.
  const connection = await createConnection(system.mongoUrl, {
    serverSelectionTimeoutMS: 30_000,
  }).asPromise();
  try {
    return await countIn(connection, system, communityId, activityIds);
  } finally {
    await connection.close();
  }
}

async function countIn(
  connection: Connection,
  system: ProcessSystem,
  communityId: string,
  activityIds: string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const community = new Types.ObjectId(communityId);
  const grid = connection.useDb(system.database('grid'));
  const activities = connection.useDb(system.database('activities'));
  for (const doc of await grid
    .collection('cases')
    .find({ communityId: community }, { projection: { description: 1 } })
    .toArray()) {
    const marker = /^Chaos check (\S+):/.exec(String(doc.description))?.[1];
    if (marker) add(`case:${marker}`);
  }
  for (const doc of await activities
    .collection('micro_wishes')
    .find({ communityId: community }, { projection: { what: 1 } })
    .toArray()) {
    const marker = /^Chaos check (\S+)$/.exec(String(doc.what))?.[1];
    if (marker) add(`wish:${marker}`);
  }
  const registrations = await activities
    .collection('registrations')
    .find(
      { activityId: { $in: activityIds.map((id) => new Types.ObjectId(id)) } },
      { projection: { activityId: 1, personId: 1 } },
    )
    .toArray();
  for (const doc of registrations) add(`registration:${String(doc.activityId)}:${String(doc.personId)}`);
  return counts;
}

const storeKey = (w: LogicalWrite) =>
  w.kind === 'registration' ? `registration:${w.marker}:${w.personId}` : `${w.kind}:${w.marker}`;

/** From the restart until each kind of write that failed (503, 504, no reply) during the fault has a 2xx for an attempt sent after it. */
function recoveryMs(
  replies: Reply[],
  faultAt: number,
  restartAt: number,
  answered: (status: number) => boolean = isOk,
): number | 'none' | 'never' {
  const affected = new Set<WriteKind>(
    replies
      .filter((r) => r.sentAt >= faultAt && r.sentAt <= restartAt && [0, 503, 504].includes(r.status))
      .map((r) => r.kind),
  );
  if (affected.size === 0) return 'none';
  let worst = 0;
  for (const kind of affected) {
    const first = replies
      .filter((r) => r.kind === kind && r.sentAt >= restartAt && answered(r.status))
      .reduce((min, r) => Math.min(min, r.at), Infinity);
    if (!Number.isFinite(first)) return 'never';
    worst = Math.max(worst, first - restartAt);
  }
  return worst;
}

async function runScenario(
  scenario: Scenario,
  system: ProcessSystem,
  admin: Api,
  communityId: string,
  writers: Writer[],
): Promise<Verdict> {
  const label = `${RUN}-${scenario.target}`;
  const activityIds = await openActivities(admin, communityId, label);
  const load = new WriteLoad({
    baseUrl: system.baseUrl,
    communityId,
    writers,
    activityIds,
    label,
    retryBudgetMs: RETRY_SECONDS * 1000,
    attemptTimeoutMs: 10_000,
    pauseMs: PAUSE_MS,
  });
  process.stdout.write(`  ${scenario.name}: load`);
  load.start();
  await sleep(LEAD_SECONDS * 1000);
  const faultAt = performance.now();
  await system.kill(scenario.target);
  process.stdout.write(', killed');
  await sleep(DOWN_SECONDS * 1000);
  const restartAt = performance.now();
  await system.restart(scenario.target);
  process.stdout.write(`, restarted (${((performance.now() - restartAt) / 1000).toFixed(1)} s to ready)`);
  await eventually(
    async () => recoveryMs(load.replies, faultAt, restartAt) !== 'never',
    'writes answering 2xx',
    RECOVERY_SECONDS * 1000,
  ).catch(() => undefined);
  await sleep(TAIL_SECONDS * 1000);
  await load.stop();
  process.stdout.write(`, ${load.writes.length} writes done\n`);
  await system.allReady();
  const counts = await storedCounts(system, communityId, activityIds);
  const lost = load.writes.filter((w) => w.accepted && !counts.get(storeKey(w)));
  const duplicated = load.writes.filter((w) => (counts.get(storeKey(w)) ?? 0) > 1);
  const storedWithout2xx = load.writes.filter((w) => !w.accepted && counts.get(storeKey(w))).length;
  const recovery = recoveryMs(load.replies, faultAt, restartAt);
  const answering = recoveryMs(load.replies, faultAt, restartAt, (status) => ![0, 503, 504].includes(status));
  return {
    scenario: scenario.name,
    writes: load.writes,
    replies: load.replies,
    lost,
    duplicated,
    storedWithout2xx,
    recovery:
      recovery === 'none'
        ? 'no write failed'
        : recovery === 'never'
          ? `not in ${RECOVERY_SECONDS} s`
          : (recovery / 1000).toFixed(1),
    answering:
      typeof answering === 'number' ? (answering / 1000).toFixed(1) : answering === 'none' ? '-' : 'never',
    downMs: restartAt - faultAt,
    samples: load.samples,
  };
}

function byStatus(replies: Reply[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status === 0 ? 'no reply' : String(r.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function main(): Promise<number> {
  const chosen = process.env.CHAOS_SCENARIOS?.split(',').map((s) => s.trim());
  const scenarios = chosen ? ALL.filter((s) => chosen.includes(s.target)) : ALL;
  if (scenarios.length === 0)
    throw new Error(`CHAOS_SCENARIOS names none of ${ALL.map((s) => s.target).join(', ')}`);
  console.log('# Faults under write load (every app its own process)\n');
  console.log(
    machineLine(
      `${WRITERS} writers, ${PAUSE_MS} ms between writes, fault after ${LEAD_SECONDS} s, down ${DOWN_SECONDS} s, ` +
        `${TAIL_SECONDS} s of writes after recovery, retries within ${RETRY_SECONDS} s`,
    ),
  );
  console.log(
    'Database: a private mongo-java-server on an H2 file; NATS: a private nats-server with JetStream on disk.\n',
  );
  const system = new ProcessSystem();
  let failed = true;
  try {
    process.stdout.write('  starting NATS, the database, four services and the gateway ...');
    const t0 = performance.now();
    await system.start();
    process.stdout.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const admin = api(system.baseUrl, await logIn(system.baseUrl, ADMIN.username, ADMIN.password));
    const community = await seedCommunity(admin, {
      code: `CHS${RUN}`,
      buildings: 2,
      grids: 1,
      floors: 3,
      unitsPerFloor: 4,
    });
    const residents = await seedResidentsThroughApi(admin, system.baseUrl, community.communityId, community.units.slice(0, WRITERS), 'chaos');
    const writers: Writer[] = residents.map((r) => ({
      token: r.token!,
      personId: r.personId,
      unitId: r.unitId,
    }));
    // Grid and activities learn where residents live from events: wait until each writer can write to both.
    for (const [i, w] of writers.entries()) {
      const resident = api(system.baseUrl, w.token);
      const base = `/api/v1/communities/${community.communityId}`;
      await eventually(
        () =>
          resident.post(`${base}/cases`, {
            category: 'noise',
            description: `Warm-up case ${i}`,
            urgency: 'normal',
            locationKind: 'unit',
            locationId: w.unitId,
          }),
        'a warm-up case filed',
      );
      await eventually(
        () =>
          resident.post(`${base}/micro-wishes`, {
            what: `Warm-up wish ${i}`,
            why: 'Warm-up',
            category: 'study',
            neededBy: hours(24 * 14).slice(0, 10),
          }),
        'a warm-up wish posted',
      );
    }
    console.log(`  seeded one community, ${writers.length} residents with accounts; each wrote once\n`);

    const verdicts: Verdict[] = [];
    const broken: string[] = [];
    for (const scenario of scenarios) {
      try {
        verdicts.push(await runScenario(scenario, system, admin, community.communityId, writers));
      } catch (error) {
        broken.push(`${scenario.name}: ${String(error)}`);
        console.log(`\n  ${scenario.name} could not be completed: ${String(error)}`);
        break;
      }
    }

    const count = (replies: Reply[], status: number) =>
      String(replies.filter((r) => r.status === status).length);
    console.log(
      `\n${table(
        ['scenario', 'writes accepted', 'lost', 'duplicates', '500s', '503s', '504s', 'recovery s'],
        verdicts.map((v) => [
          v.scenario,
          String(v.writes.filter((w) => w.accepted).length),
          String(v.lost.length),
          String(v.duplicated.length),
          count(v.replies, 500),
          count(v.replies, 503),
          count(v.replies, 504),
          v.recovery,
        ]),
      )}\n`,
    );
    console.log(
      'Counts are of every attempt during the scenario (load start to stop); lost: accepted (2xx) but not in the ' +
        "service's database; duplicates: logical writes (one Idempotency-Key) stored more than once; recovery: from " +
        'the restart command until every kind of write that failed during the fault answered 2xx to an attempt sent ' +
        'after it (includes the process start); answering s below: the same until any final answer (not 503, 504 ' +
        'or no reply).\n',
    );
    console.log(
      table(
        [
          'scenario',
          'logical writes',
          'attempts',
          'no reply',
          'final non-2xx',
          'gave up',
          'stored without 2xx',
          'replayed 2xx',
          '409 on a retry',
          'answering s',
        ],
        verdicts.map((v) => {
          const final = v.writes.filter((w) => !w.accepted);
          const finals = byStatus(final.map((w) => ({ status: w.finalStatus }) as Reply));
          return [
            v.scenario,
            String(v.writes.length),
            String(v.replies.length),
            String(v.replies.filter((r) => r.status === 0).length),
            Object.entries(finals)
              .map(([s, n]) => `${s}: ${n}`)
              .join(', ') || '0',
            String(final.filter((w) => [0, 503, 504].includes(w.finalStatus)).length),
            String(v.storedWithout2xx),
            String(v.writes.filter((w) => w.replayed).length),
            String(v.writes.filter((w) => w.attempts > 1 && w.finalStatus === 409).length),
            v.answering,
          ];
        }),
      ),
    );
    console.log('\nEvery reply by status:');
    for (const v of verdicts) {
      console.log(`  ${v.scenario}: ${JSON.stringify(byStatus(v.replies))}`);
      for (const [what, body] of v.samples) console.log(`    first ${what}: ${body}`);
    }

    const problems: string[] = [...broken];
    for (const v of verdicts) {
      const kinds = (ws: LogicalWrite[]) =>
        Object.entries(
          ws.reduce<Record<string, number>>((m, w) => ((m[w.kind] = (m[w.kind] ?? 0) + 1), m), {}),
        )
          .map(([k, n]) => `${n} ${k}`)
          .join(', ');
      if (v.lost.length)
        problems.push(
          `${v.scenario}: ${v.lost.length} accepted writes lost (${kinds(v.lost)}), e.g. ${v.lost[0].marker}`,
        );
      if (v.duplicated.length)
        problems.push(
          `${v.scenario}: ${v.duplicated.length} writes stored twice (${kinds(v.duplicated)}), e.g. ${v.duplicated[0].marker}`,
        );
      const fivehundreds = v.replies.filter((r) => r.status === 500).length;
      if (fivehundreds) problems.push(`${v.scenario}: ${fivehundreds} replies were 500`);
    }
    for (const kind of ['case', 'wish', 'registration'] as WriteKind[]) {
      const none = verdicts.filter((v) => !v.writes.some((w) => w.kind === kind && w.accepted));
      if (none.length)
        console.log(
          `\nNote: no ${kind} write was accepted in ${none.map((v) => v.scenario).join(', ')}: lost and duplicates say nothing of ${kind}s there.`,
        );
    }
    if (problems.length) console.log(`\nFAILED:\n  ${problems.join('\n  ')}`);
    else console.log('\nPASSED: no accepted write lost, none stored twice, no 500');
    failed = problems.length > 0;
    return failed ? 1 : 0;
  } finally {
    const keep = failed || process.env.CHAOS_KEEP_STATE === '1';
    await system.stop(keep);
    if (keep) console.log(`logs and data kept in ${system.dir}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
