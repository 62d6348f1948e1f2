/**
 * Cases at community and district scale: C cases filed through the gateway in a community of B buildings, then the
 * case list of one grid with filters, one case by id (the baseline: an `_id` lookup) and the community statistics;
 * then D-1 more communities of the same size are added to the district and the same reads of the first community
 * are measured again, to show whether their cost grows with the district.
 *
 *   npm run build && node dist/scripts/bench/cases.js
 *   CASES_PER_COMMUNITY=10000 CASES_BUILDINGS=286 CASES_COMMUNITIES=10 node dist/scripts/bench/cases.js
 */
import { CaseCategory, CaseLocationKind, CaseStatus, CaseUrgency } from '@cg/contracts';
import {
  BenchSystem,
  Figures,
  HttpError,
  Outcome,
  RUN,
  RssSampler,
  SeededCommunity,
  figures,
  httpBurst,
  httpLoad,
  machineLine,
  ms,
  positiveEnv,
  progress,
  ratio,
  sleep,
  runBench,
  seedCommunity,
  table,
  timed,
} from './support';

const CASES = positiveEnv('CASES_PER_COMMUNITY', 200);
const BUILDINGS = positiveEnv('CASES_BUILDINGS', 40);
const COMMUNITIES = positiveEnv('CASES_COMMUNITIES', 3);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const SECONDS = positiveEnv('BENCH_SECONDS', 5);
const STATISTICS_CALLS = 5;
const LOAD = { seconds: SECONDS, connections: 10, warmupSeconds: 1 };
const CATEGORIES = Object.values(CaseCategory);
const URGENCIES = [
  CaseUrgency.Normal,
  CaseUrgency.Normal,
  CaseUrgency.Normal,
  CaseUrgency.Urgent,
  CaseUrgency.Emergency,
];

interface Reads {
  byId: Figures;
  byIdErrors: number;
  list: Figures;
  listErrors: number;
  listItems: number;
  statisticsMs: number[];
}

interface Filing {
  outcome: Outcome;
  /** From the first request until grid had stored every case it accepted. */
  settledMs: number;
  stored: number;
}

async function fileCases(system: BenchSystem, community: SeededCommunity, label: string): Promise<Filing> {
  const done = progress(`${label}: filing ${CASES} cases through the gateway, ${CONNECTIONS} at a time`);
  const specs = Array.from({ length: CASES }, (_, i) => {
    const onUnit = i % 3 !== 2;
    const unit = community.units[(i * 7919) % community.units.length];
    return {
      method: 'POST',
      path: `/api/v1/communities/${community.communityId}/cases`,
      token: system.admin.token,
      body: {
        category: CATEGORIES[i % CATEGORIES.length],
        description: `Bench case ${i}: reported by a resident at the door`,
        urgency: URGENCIES[i % URGENCIES.length],
        locationKind: onUnit ? CaseLocationKind.Unit : CaseLocationKind.CommonArea,
        locationId: onUnit ? unit.id : unit.buildingId,
        ...(!onUnit && { place: 'Bike shed behind the building' }),
      },
    };
  });
  const t0 = performance.now();
  const outcome = await httpBurst(system.baseUrl, specs, CONNECTIONS);
  done();
  if (outcome.firstError) console.log(`    first error: ${outcome.firstError}`);
  const stored = await quiet(system, community, label);
  return { outcome, settledMs: performance.now() - t0, stored };
}

/**
 * A case the gateway gave up on (504) is still filed by grid, and its events still published: wait until the
 * community's case count stops moving, so the next step does not measure the tail of this burst.
 */
async function quiet(system: BenchSystem, community: SeededCommunity, label: string): Promise<number> {
  const done = progress(`${label}: until grid has stored every case it accepted`);
  const from = new Date(Date.now() - 24 * 3600_000).toISOString();
  const to = new Date(Date.now() + 24 * 3600_000).toISOString();
  const path = `/api/v1/communities/${community.communityId}/cases/statistics?from=${from}&to=${to}`;
  const deadline = Date.now() + 300_000;
  let last = -1;
  for (;;) {
    // While grid still works through the burst, this read may itself time out: ask again.
    const total = await system.admin
      .get<{ total: number }>(path)
      .then((s) => s.total)
      .catch((error: HttpError) => {
        if (error.status !== 504 || Date.now() > deadline) throw error;
        return -2;
      });
    if (total >= 0 && total === last) break;
    if (total >= 0) last = total;
    await sleep(3000);
  }
  done();
  console.log(`    ${last} cases stored of ${CASES} filed`);
  return last;
}

async function measureReads(
  system: BenchSystem,
  community: SeededCommunity,
  caseId: string,
  label: string,
): Promise<Reads> {
  const base = `/api/v1/communities/${community.communityId}/cases`;
  const token = system.admin.token;
  const listPath = `${base}?gridId=${community.gridIds[0]}&status=${CaseStatus.Reported}&category=${CaseCategory.Noise}&limit=50`;
  let done = progress(`${label}: GET one case by id for ${SECONDS} s`);
  const byId = await httpLoad(system.baseUrl, [{ method: 'GET', path: `${base}/${caseId}`, token }], LOAD);
  done();
  done = progress(`${label}: GET the case list of one grid with filters for ${SECONDS} s`);
  const list = await httpLoad(system.baseUrl, [{ method: 'GET', path: listPath, token }], LOAD);
  done();
  const listItems = (await system.admin.get(listPath)).items.length;
  done = progress(`${label}: community statistics, ${STATISTICS_CALLS} calls one after another`);
  const from = new Date(Date.now() - 24 * 3600_000).toISOString();
  const to = new Date(Date.now() + 24 * 3600_000).toISOString();
  const statisticsMs: number[] = [];
  for (let i = 0; i < STATISTICS_CALLS; i++) {
    statisticsMs.push((await timed(() => system.admin.get(`${base}/statistics?from=${from}&to=${to}`))).ms);
  }
  done();
  for (const outcome of [byId, list])
    if (outcome.firstError) console.log(`    first error: ${outcome.firstError}`);
  return {
    byId: figures(byId),
    byIdErrors: byId.errors,
    list: figures(list),
    listErrors: list.errors,
    listItems,
    statisticsMs,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

runBench(
  `Cases: ${CASES} per community, ${BUILDINGS} buildings, district of ${COMMUNITIES}`,
  undefined,
  async (system) => {
    const shape = {
      buildings: BUILDINGS,
      grids: Math.max(1, Math.round(BUILDINGS / 19)),
      floors: 11,
      unitsPerFloor: 4,
    };
    let done = progress(
      `community 1 of ${BUILDINGS} buildings, ${shape.grids} grids, ${BUILDINGS * 44} units`,
    );
    const first = await seedCommunity(system.admin, { code: `CASES${RUN}1`, ...shape });
    done();
    console.log(
      `\n${machineLine(`filing ${CONNECTIONS} at a time; reads with ${LOAD.connections} connections for ${SECONDS} s after 1 s warm-up`)}`,
    );
    const rss = new RssSampler();
    const filed = await fileCases(system, first, 'community 1');
    const anyCase = (await system.admin.get(`/api/v1/communities/${first.communityId}/cases?limit=1`))
      .items[0].id as string;
    const alone = await measureReads(system, first, anyCase, 'community 1 alone');

    const district: Filing[] = [];
    for (let c = 2; c <= COMMUNITIES; c++) {
      done = progress(`community ${c} of ${BUILDINGS} buildings`);
      const other = await seedCommunity(system.admin, { code: `CASES${RUN}${c}`, ...shape });
      done();
      district.push(await fileCases(system, other, `community ${c}`));
    }
    const grown =
      COMMUNITIES > 1
        ? await measureReads(system, first, anyCase, `community 1 in a district of ${COMMUNITIES}`)
        : alone;
    const rssLine = rss.stop();

    const f = figures(filed.outcome);
    const lastFiling = district.length ? district[district.length - 1] : filed;
    const last = figures(lastFiling.outcome);
    const settledRate = (filing: Filing) => filing.stored / (filing.settledMs / 1000);
    const col = (single: string, many: string, r: string) => [single, many, r];
    console.log(
      `\n${table(
        [
          'figure',
          `1 community, ${CASES} cases`,
          `district of ${COMMUNITIES}, ${CASES * COMMUNITIES} cases`,
          'district / 1',
        ],
        [
          [
            'file a case: cases/s stored, until grid caught up',
            ...col(
              settledRate(filed).toFixed(1),
              settledRate(lastFiling).toFixed(1),
              ratio(settledRate(lastFiling) / settledRate(filed)),
            ),
          ],
          [
            'file a case: cases/s answered in time',
            ...col(f.rate.toFixed(1), last.rate.toFixed(1), ratio(last.rate / f.rate)),
          ],
          ['file a case: p50 ms', ...col(ms(f.p50), ms(last.p50), ratio(last.p50 / f.p50))],
          ['file a case: p99 ms', ...col(ms(f.p99), ms(last.p99), ratio(last.p99 / f.p99))],
          [
            '(a) one case by id: req/s',
            ...col(
              alone.byId.rate.toFixed(0),
              grown.byId.rate.toFixed(0),
              ratio(grown.byId.rate / alone.byId.rate),
            ),
          ],
          [
            '(a) one case by id: p50 ms',
            ...col(ms(alone.byId.p50), ms(grown.byId.p50), ratio(grown.byId.p50 / alone.byId.p50)),
          ],
          [
            '(a) one case by id: p99 ms',
            ...col(ms(alone.byId.p99), ms(grown.byId.p99), ratio(grown.byId.p99 / alone.byId.p99)),
          ],
          [
            '(b) grid list + filters: req/s',
            ...col(
              alone.list.rate.toFixed(0),
              grown.list.rate.toFixed(0),
              ratio(grown.list.rate / alone.list.rate),
            ),
          ],
          [
            '(b) grid list + filters: p50 ms',
            ...col(ms(alone.list.p50), ms(grown.list.p50), ratio(grown.list.p50 / alone.list.p50)),
          ],
          [
            '(b) grid list + filters: p99 ms',
            ...col(ms(alone.list.p99), ms(grown.list.p99), ratio(grown.list.p99 / alone.list.p99)),
          ],
          [
            '(c) community statistics: median ms',
            ...col(
              ms(median(alone.statisticsMs)),
              ms(median(grown.statisticsMs)),
              ratio(median(grown.statisticsMs) / median(alone.statisticsMs)),
            ),
          ],
          [
            '(c) community statistics: slowest ms',
            ...col(
              ms(Math.max(...alone.statisticsMs)),
              ms(Math.max(...grown.statisticsMs)),
              ratio(Math.max(...grown.statisticsMs) / Math.max(...alone.statisticsMs)),
            ),
          ],
          [
            '(b) p50 / (a) p50 (list over _id lookup)',
            ...col(ratio(alone.list.p50 / alone.byId.p50), ratio(grown.list.p50 / grown.byId.p50), '-'),
          ],
          [
            '(c) median / (a) p50 (statistics over _id lookup)',
            ...col(
              ratio(median(alone.statisticsMs) / alone.byId.p50),
              ratio(median(grown.statisticsMs) / grown.byId.p50),
              '-',
            ),
          ],
        ],
      )}\n`,
    );
    const errors =
      filed.outcome.errors +
      district.reduce((sum, o) => sum + o.outcome.errors, 0) +
      alone.byIdErrors +
      alone.listErrors +
      grown.byIdErrors +
      grown.listErrors;
    console.log(
      `errors: ${errors}; filing replies by HTTP status (community 1): ${JSON.stringify(filed.outcome.statuses)}`,
    );
    console.log(
      `the filtered list returned ${grown.listItems} cases (limit 50); statistics calls: ${alone.statisticsMs.map(ms).join(', ')} ms alone, ${grown.statisticsMs.map(ms).join(', ')} ms in the district`,
    );
    console.log(
      'cases are filed by the district administrator account; every community has its own grids, buildings and units.',
    );
    console.log(rssLine);
  },
);
