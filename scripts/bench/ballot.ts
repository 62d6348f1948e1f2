/**
 * An owners' assembly ballot whose electorate has U units: ownership recorded through membership's API, property's
 * owner register caught up from the events, the ballot opened (electorate frozen), every owner voting through the
 * gateway in one burst, then the close (tally and seal). Baseline for the tally: one plain read of all the votes
 * of the ballot straight from property's database with mongoose, in the same run.
 *
 *   npm run build && node dist/scripts/bench/ballot.js
 *   BALLOT_UNITS=1000 node dist/scripts/bench/ballot.js    (medium)
 *   BALLOT_UNITS=12500 node dist/scripts/bench/ballot.js   (full)
 */
import { AssemblyMatter, Role } from '@cg/contracts';
import { Types } from 'mongoose';
import {
  RUN,
  RssSampler,
  eventually,
  figures,
  httpBurst,
  machineLine,
  mapLimit,
  ms,
  positiveEnv,
  HttpError,
  progress,
  ratio,
  retrying,
  runBench,
  seedCommunity,
  seedResidents,
  table,
  timed,
} from './support';

const UNITS = positiveEnv('BALLOT_UNITS', 300);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 50);
const UNITS_PER_BUILDING = 50;
const OPTIONS = ['for', 'against', 'abstain'];

const minutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
/** 60.00 to 139.99 m², spread over the units. */
const areaOf = (i: number) => `${60 + (i % 80)}.${String((i * 37) % 100).padStart(2, '0')}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

runBench(`Owners' assembly ballot: ${UNITS} units`, undefined, async (system) => {
  const buildings = Math.ceil(UNITS / UNITS_PER_BUILDING);
  let done = progress(`community of ${buildings} buildings`);
  const community = await seedCommunity(system.admin, {
    code: `BALLOT${RUN}`,
    buildings,
    grids: Math.ceil(buildings / 20),
    floors: 25,
    unitsPerFloor: 2,
  });
  done();
  const { communityId } = community;
  const base = `/api/v1/communities/${communityId}`;
  done = progress(`${UNITS} owners with accounts, logged in`);
  const owners = await seedResidents(system, communityId, community.units.slice(0, UNITS), {
    prefix: 'owner',
    relation: 'tenant',
    roles: [Role.Resident, Role.Owner],
  });
  done();

  // Recording the same ownership again changes nothing, so a PUT the gateway gave up on is simply repeated.
  const retries = { count: 0 };
  const recording = await timed(() =>
    mapLimit(owners, 4, (owner, i) =>
      retrying(
        () =>
          system.admin.put(`${base}/units/${owner.unitId}/ownership`, {
            ownerPersonIds: [owner.personId],
            registerArea: areaOf(i),
          }),
        retries,
      ),
    ),
  );
  console.log(
    `  ${UNITS} ownerships recorded through PUT .../units/:unitId/ownership ... ${(recording.ms / 1000).toFixed(1)} s`,
  );
  done = progress("property's owner register catching up from the events");
  const catchUpStart = performance.now();
  const register = await eventually(
    async () => {
      const summary = await system.admin.get(`${base}/owner-register/summary`);
      return summary.units >= UNITS && summary;
    },
    `${UNITS} units on property's owner register`,
    Math.max(60_000, UNITS * 50),
  );
  const catchUp = performance.now() - catchUpStart;
  done();

  const ballot = await system.admin.post(`${base}/ballots`, {
    title: 'Renew the lift maintenance contract',
    matter: AssemblyMatter.OtherMajorMatter,
    options: OPTIONS,
    opensAt: minutes(-1),
    closesAt: minutes(24 * 60),
  });
  const ballotPath = `${base}/ballots/${ballot.id}`;
  const opening = await timed(() => system.admin.post(`${ballotPath}/open`));
  console.log(
    `  ballot opened, electorate of ${opening.value.electorate?.owners} owners frozen ... ${(opening.ms / 1000).toFixed(1)} s`,
  );

  console.log(`\n${machineLine(`${CONNECTIONS} connections, every owner votes once`)}`);
  const rss = new RssSampler();
  done = progress(`${UNITS} votes in one burst`);
  const burst = await httpBurst(
    system.baseUrl,
    owners.map((o, i) => ({
      method: 'POST',
      path: `${ballotPath}/votes`,
      token: o.token,
      body: { option: OPTIONS[i % 3] },
    })),
    CONNECTIONS,
  );
  done();
  // A vote the gateway gave up on (504) may still be stored; the close needs every owner to have voted.
  done = progress('every vote stored');
  const votes = system.database('property').collection('ballot_votes');
  const scope = { communityId: new Types.ObjectId(communityId), ballotId: new Types.ObjectId(ballot.id) };
  const stored = () => votes.countDocuments(scope);
  const missingAfterBurst = await eventually(
    async () => (await stored()) >= UNITS,
    'every vote stored',
    30_000,
  ).then(
    () => 0,
    async () => UNITS - (await stored()),
  );
  if (missingAfterBurst > 0) {
    // Votes lost with their request are cast again, outside the measured burst; a 409 means it was stored.
    await mapLimit(owners, 4, (o, i) =>
      retrying(
        () => system.api(o.token).post(`${ballotPath}/votes`, { option: OPTIONS[i % 3] }),
        retries,
      ).catch((error: HttpError) => {
        if (error.status !== 409) throw error;
      }),
    );
  }
  done();

  // The baseline: one plain read of every vote of the ballot (median of three), straight from the database.
  const reads: number[] = [];
  let read = 0;
  for (let i = 0; i < 3; i++) {
    const t = await timed(() => votes.find(scope).toArray());
    reads.push(t.ms);
    read = t.value.length;
  }
  const closing = await timed(() => system.admin.post(`${ballotPath}/close`));
  const rssLine = rss.stop();

  const f = figures(burst);
  const every = figures(burst, true);
  const result = closing.value.result;
  const perSecond = (count: number, took: number) => (count / (took / 1000)).toFixed(0);
  const readMs = median(reads);
  console.log(
    `\n${table(
      ['step', 'count', 'took ms', 'per s', 'p50 ms', 'p99 ms', 'errors'],
      [
        [
          'record ownership (PUT, 4 at a time)',
          String(UNITS),
          ms(recording.ms),
          perSecond(UNITS, recording.ms),
          '-',
          '-',
          '0',
        ],
        [
          "property's owner register caught up after",
          String(register.units),
          ms(catchUp),
          '-',
          '-',
          '-',
          '-',
        ],
        [
          'open the ballot (freeze the electorate)',
          String(opening.value.electorate?.owners),
          ms(opening.ms),
          '-',
          '-',
          '-',
          '0',
        ],
        [
          '(a) vote through the gateway, one burst',
          String(UNITS),
          ms(burst.elapsedMs),
          f.rate.toFixed(0),
          ms(f.p50),
          ms(f.p99),
          String(burst.errors),
        ],
        ['(b) plain read of all votes (mongoose)', String(read), ms(readMs), '-', '-', '-', '-'],
        ['(c) close: count, hash and seal', String(read), ms(closing.ms), '-', '-', '-', '0'],
      ],
    )}\n`,
  );
  console.log(
    `votes: ${f.rate.toFixed(0)}/s, p99 ${ms(f.p99)} ms (every reply, errors included: p99 ${ms(every.p99)} ms); replies by HTTP status ${JSON.stringify(burst.statuses)}`,
  );
  if (burst.firstError) console.log(`first error: ${burst.firstError}`);
  console.log(`plain reads of the votes: ${reads.map(ms).join(', ')} ms (the median is used)`);
  console.log(`ratio tally time (c) / plain read of the votes (b): ${ratio(closing.ms / readMs)}`);
  console.log(
    `calls repeated after a 504 (ownership PUTs, votes cast again): ${retries.count}; votes missing after the burst: ${missingAfterBurst}`,
  );
  console.log(`owner register: ${register.units} units, ${register.owners} owners, ${register.totalArea} m²`);
  console.log(
    `result: ${result.outcome}${result.carriedOption ? ` (${result.carriedOption})` : ''}, quorum ${result.quorumMet ? 'met' : 'not met'}; ` +
      result.options
        .map(
          (o: { option: string; owners: number; area: string }) =>
            `${o.option} ${o.owners} owners / ${o.area} m²`,
        )
        .join(', '),
  );
  console.log(rssLine);
});
