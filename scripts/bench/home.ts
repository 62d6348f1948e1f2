/**
 * The resident's home view under load, on a demo-size community: `GET /api/v1/me` through the gateway against the
 * same eight sections asked directly over NATS with the gateway's RPC client (no HTTP), and against the two
 * sections of one service each that the home view cannot do without (profile and residence).
 *
 *   npm run build && node dist/scripts/bench/home.js
 *   HOME_RESIDENTS=200 HOME_BUILDINGS=40 BENCH_SECONDS=30 BENCH_CONNECTIONS=20 node dist/scripts/bench/home.js
 */
import {
  ActivitiesRpc,
  ActivityStatus,
  AnnouncementsRpc,
  CaseCategory,
  CaseLocationKind,
  CaseStatus,
  CaseUrgency,
  GridCaseRpc,
  GridRpc,
  MembershipRpc,
  MembershipVolunteerRpc,
  PropertyRpc,
  BallotStatus,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import {
  BenchSystem,
  LoadRow,
  RUN,
  RssSampler,
  SeededResident,
  eventually,
  figures,
  httpLoad,
  inProcessLoad,
  loadTable,
  machineLine,
  mapLimit,
  ms,
  positiveEnv,
  progress,
  ratio,
  runBench,
  seedCommunity,
  seedResidents,
} from './support';

const RESIDENTS = positiveEnv('HOME_RESIDENTS', 20);
const BUILDINGS = positiveEnv('HOME_BUILDINGS', 6);
const CASES_PER_RESIDENT = positiveEnv('HOME_CASES_PER_RESIDENT', 2);
const SECONDS = positiveEnv('BENCH_SECONDS', 10);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const LOAD = { seconds: SECONDS, connections: CONNECTIONS, warmupSeconds: 2 };

const hours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

/** The eight calls the gateway's home view makes, made here directly over NATS with the resident's token. */
function allSections(
  rpc: RpcClient,
  token: string,
  communityId: string,
  personId: string,
): Promise<unknown[]> {
  const options = { token, timeoutMs: 1500 };
  const now = Date.now();
  return Promise.all([
    rpc.send(MembershipRpc.getResident, { communityId, personId }, options),
    rpc.send(GridRpc.getResidence, { communityId, personId }, options),
    rpc
      .send(GridCaseRpc.list, { communityId, query: { limit: 50 } }, options)
      .then((page) => page.items.filter((c) => c.status !== CaseStatus.Closed)),
    rpc
      .send(
        ActivitiesRpc.listActivities,
        { communityId, query: { status: ActivityStatus.Published, limit: 50 } },
        options,
      )
      .then((page) => page.items.filter((a) => Date.parse(a.startsAt) > now).slice(0, 10)),
    rpc
      .send(ActivitiesRpc.listMicroWishes, { communityId, query: { limit: 200 } }, options)
      .then((page) => page.items.filter((w) => w.residentPersonId === personId)),
    rpc
      .send(PropertyRpc.listBallots, { communityId, page: { limit: 50 } }, options)
      .then((page) => page.items.filter((b) => b.status === BallotStatus.Open)),
    rpc.send(MembershipVolunteerRpc.hoursOf, { communityId, personId, page: { limit: 10 } }, options),
    rpc.send(AnnouncementsRpc.feed, { communityId, page: { limit: 10 } }, options),
  ]);
}

async function seed(
  system: BenchSystem,
): Promise<{ communityId: string; residents: SeededResident[]; cases: number }> {
  let done = progress(`community of ${BUILDINGS} buildings`);
  const community = await seedCommunity(system.admin, {
    code: `HOME${RUN}`,
    buildings: BUILDINGS,
    grids: Math.max(1, Math.ceil(BUILDINGS / 20)),
    floors: 6,
    unitsPerFloor: 4,
  });
  done();
  const { communityId } = community;
  const step = Math.max(1, Math.floor(community.units.length / RESIDENTS));
  const homes = Array.from(
    { length: RESIDENTS },
    (_, i) => community.units[(i * step) % community.units.length],
  );
  done = progress(`${RESIDENTS} residents with accounts, logged in`);
  const residents = await seedResidents(system, communityId, homes, { prefix: 'home' });
  done();

  done = progress(
    `${RESIDENTS * CASES_PER_RESIDENT} cases filed by the residents, an activity, registrations`,
  );
  const categories = Object.values(CaseCategory);
  await mapLimit(residents, 8, async (resident, i) => {
    for (let c = 0; c < CASES_PER_RESIDENT; c++) {
      await system.api(resident.token).post(`/api/v1/communities/${communityId}/cases`, {
        category: categories[(i + c) % categories.length],
        description: `Bench case ${c} of resident ${i}: the stairwell light is out`,
        urgency: CaseUrgency.Normal,
        locationKind: CaseLocationKind.Unit,
        locationId: resident.unitId,
      });
    }
  });
  const activities = `/api/v1/communities/${communityId}/activities`;
  const activity = await system.admin.post(activities, {
    title: 'Lawn music festival',
    type: 'festival',
    organiser: { kind: 'body', name: "Residents' committee" },
    place: 'Central lawn',
    startsAt: hours(48),
    endsAt: hours(50),
    audience: { scope: 'community' },
    capacity: 500,
    registrationOpensAt: hours(-1),
    registrationClosesAt: hours(24),
    familyMembersAllowed: false,
  });
  await system.admin.post(`${activities}/${activity.id}/publish`);
  await mapLimit(residents.slice(0, Math.ceil(RESIDENTS / 2)), 8, (r) =>
    system.api(r.token).post(`${activities}/${activity.id}/registrations`, {}),
  );
  done();

  done = progress('every home view complete (read models caught up)');
  await eventually(
    async () => {
      const views = await mapLimit(residents, 8, (r) => system.api(r.token).get('/api/v1/me'));
      return views.every((me) =>
        [
          'profile',
          'residence',
          'cases',
          'activities',
          'microWishes',
          'ballots',
          'volunteerHours',
          'announcements',
        ].every((key) => me[key]?.status === 'ok'),
      );
    },
    'every section of every home view',
    60_000,
  );
  done();
  return { communityId, residents, cases: RESIDENTS * CASES_PER_RESIDENT };
}

runBench('Home view: GET /api/v1/me against the same reads over NATS', undefined, async (system) => {
  const { communityId, residents, cases } = await seed(system);
  console.log(
    `\n${machineLine(`${CONNECTIONS} connections, ${SECONDS} s per scenario after ${LOAD.warmupSeconds} s warm-up`)}`,
  );
  console.log(
    `community: ${BUILDINGS} buildings, ${residents.length} residents with accounts, ${cases} cases, 1 activity\n`,
  );
  const rss = new RssSampler();
  const rows: LoadRow[] = [];
  const run = async (name: string, load: () => Promise<LoadRow['outcome']>) => {
    const done = progress(name);
    const outcome = await load();
    rows.push({ name, outcome });
    done();
    if (outcome.firstError) console.log(`    first error: ${outcome.firstError}`);
  };
  let turn = 0;
  const next = () => residents[turn++ % residents.length];
  await run('(a) GET /me through the gateway', () =>
    httpLoad(
      system.baseUrl,
      residents.map((r) => ({ method: 'GET', path: '/api/v1/me', token: r.token })),
      LOAD,
    ),
  );
  await run('(b) the 8 section reads over NATS', () =>
    inProcessLoad(() => {
      const r = next();
      return allSections(system.rpc, r.token!, communityId, r.personId);
    }, LOAD),
  );
  await run('(c) profile + residence over NATS', () =>
    inProcessLoad(() => {
      const r = next();
      const options = { token: r.token!, timeoutMs: 1500 };
      return Promise.all([
        system.rpc.send(MembershipRpc.getResident, { communityId, personId: r.personId }, options),
        system.rpc.send(GridRpc.getResidence, { communityId, personId: r.personId }, options),
      ]);
    }, LOAD),
  );

  console.log(`\n${loadTable(rows, 1, 'vs (b)')}\n`);
  const [gateway, direct] = rows.map((r) => figures(r.outcome));
  console.log(
    `ratio gateway / direct over NATS, same data: throughput ${ratio(gateway.rate / direct.rate)}, ` +
      `p50 ${ratio(gateway.p50 / direct.p50)} (${ms(gateway.p50)} vs ${ms(direct.p50)} ms), ` +
      `p99 ${ratio(gateway.p99 / direct.p99)} (${ms(gateway.p99)} vs ${ms(direct.p99)} ms)`,
  );
  console.log(rss.stop());
  console.log(
    "(a) is driven from a worker thread over HTTP keep-alive; (b) and (c) run on the servers' own thread, so their " +
      'client work competes with the services: the direct figures are a floor, not a ceiling.',
  );
});
