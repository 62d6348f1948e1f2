/**
 * N residents register for one activity of M places in one burst through the gateway, then the API must show
 * exactly M people holding places and a waiting list numbered 1..N-M without gaps or repeats (exit code 1
 * otherwise). Baseline: the same number of `GET` reads of the activity, at the same concurrency, in the same run.
 *
 *   npm run build && node dist/scripts/bench/registration.js
 *   REG_RESIDENTS=1000 REG_PLACES=400 node dist/scripts/bench/registration.js    (medium)
 *   REG_RESIDENTS=5000 REG_PLACES=2000 node dist/scripts/bench/registration.js   (full)
 */
import { RegistrationStatus, RegistrationView } from '@cg/contracts';
import {
  Api,
  BenchSystem,
  RUN,
  RssSampler,
  eventually,
  figures,
  httpBurst,
  loadTable,
  machineLine,
  ms,
  positiveEnv,
  progress,
  ratio,
  runBench,
  seedCommunity,
  seedResidents,
} from './support';

const RESIDENTS = positiveEnv('REG_RESIDENTS', 300);
const PLACES = positiveEnv('REG_PLACES', 120);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 50);
const UNITS_PER_BUILDING = 48;

const hours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

async function allRegistrations(
  admin: Api,
  path: string,
  status: RegistrationStatus,
): Promise<RegistrationView[]> {
  const found: RegistrationView[] = [];
  let cursor: string | undefined;
  do {
    const page = await admin.get(`${path}?status=${status}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    found.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** What the API holds after the burst, checked against the rules; returns the failures, empty when all hold. */
async function prove(
  admin: Api,
  activityPath: string,
  expectedWaiting: number,
): Promise<{ failures: string[]; lines: string[] }> {
  const registrations = `${activityPath}/registrations`;
  // A registration still pending is settled by the service's recovery sweep: wait a while for it.
  const stillPending = await eventually(
    async () => (await allRegistrations(admin, registrations, RegistrationStatus.Pending)).length === 0,
    'no pending registration',
    60_000,
  ).then(
    () => 0,
    async () => (await allRegistrations(admin, registrations, RegistrationStatus.Pending)).length,
  );
  const confirmed = await allRegistrations(admin, registrations, RegistrationStatus.Confirmed);
  const waiting = await allRegistrations(admin, registrations, RegistrationStatus.Waitlisted);
  const activity = await admin.get(activityPath);
  const attendance = await admin.get(`${activityPath}/attendance`);
  const people = confirmed.reduce((sum, r) => sum + r.headcount, 0);
  const positions = waiting.map((r) => r.queuePosition ?? NaN).sort((a, b) => a - b);
  const failures: string[] = [];
  if (stillPending > 0)
    failures.push(
      `${stillPending} registrations are still pending a minute after the burst was settled or given up on`,
    );
  if (people !== PLACES) failures.push(`${people} people hold places, expected exactly ${PLACES}`);
  if (attendance.confirmedPeople !== PLACES)
    failures.push(`attendance says ${attendance.confirmedPeople} confirmed people, expected ${PLACES}`);
  if (activity.placesLeft !== 0)
    failures.push(`the activity shows ${activity.placesLeft} places left, expected 0`);
  if (waiting.length !== expectedWaiting)
    failures.push(`${waiting.length} registrations wait, expected ${expectedWaiting}`);
  const gap = positions.findIndex((p, i) => p !== i + 1);
  if (gap >= 0)
    failures.push(
      `waiting position #${gap + 1} in order is ${positions[gap]}, expected ${gap + 1} (gap or repeat)`,
    );
  const holders = new Set([...confirmed, ...waiting].map((r) => r.personId));
  if (holders.size !== confirmed.length + waiting.length)
    failures.push('a person holds more than one live registration');
  // Informational: how closely the queue follows arrival (registeredAt is taken before the activity's lock).
  const byArrival = [...waiting].sort((a, b) => Date.parse(a.registeredAt) - Date.parse(b.registeredAt));
  const inversions = byArrival.filter(
    (r, i) => i > 0 && (r.queuePosition ?? 0) < (byArrival[i - 1].queuePosition ?? 0),
  ).length;
  return {
    failures,
    lines: [
      `confirmed registrations: ${confirmed.length}, people holding places: ${people} (places: ${PLACES}); places left: ${activity.placesLeft}`,
      `waiting list: ${waiting.length} registrations, positions ${positions[0] ?? '-'}..${positions[positions.length - 1] ?? '-'}, ` +
        `${gap >= 0 ? 'NOT contiguous' : 'contiguous, no repeats'}; ${inversions} neighbours out of arrival order`,
    ],
  };
}

runBench(
  `Activity registration burst: ${RESIDENTS} residents, ${PLACES} places`,
  undefined,
  async (system: BenchSystem) => {
    const buildings = Math.ceil(RESIDENTS / UNITS_PER_BUILDING);
    let done = progress(`community of ${buildings} buildings`);
    const community = await seedCommunity(system.admin, {
      code: `REG${RUN}`,
      buildings,
      grids: Math.ceil(buildings / 20),
      floors: 12,
      unitsPerFloor: UNITS_PER_BUILDING / 12,
    });
    done();
    done = progress(`${RESIDENTS} residents with accounts, logged in (outside the measured window)`);
    const residents = await seedResidents(
      system,
      community.communityId,
      community.units.slice(0, RESIDENTS),
      { prefix: 'reg', relation: 'tenant' },
    );
    done();
    const activities = `/api/v1/communities/${community.communityId}/activities`;
    const activity = await system.admin.post(activities, {
      title: 'City health run',
      type: 'sports',
      organiser: { kind: 'body', name: "Residents' committee" },
      place: 'Riverside park',
      startsAt: hours(48),
      endsAt: hours(52),
      audience: { scope: 'community' },
      capacity: PLACES,
      registrationOpensAt: hours(-1),
      registrationClosesAt: hours(24),
      familyMembersAllowed: false,
    });
    await system.admin.post(`${activities}/${activity.id}/publish`);
    const activityPath = `${activities}/${activity.id}`;

    console.log(`\n${machineLine(`${CONNECTIONS} connections, every request once`)}`);
    const rss = new RssSampler();
    done = progress(`(a) ${RESIDENTS} GET of the activity (baseline)`);
    const reads = await httpBurst(
      system.baseUrl,
      residents.map((r) => ({ method: 'GET', path: activityPath, token: r.token })),
      CONNECTIONS,
    );
    done();
    done = progress(`(b) ${RESIDENTS} registrations in one burst`);
    const t0 = performance.now();
    const burst = await httpBurst(
      system.baseUrl,
      residents.map((r) => ({
        method: 'POST',
        path: `${activityPath}/registrations`,
        token: r.token,
        body: {},
      })),
      CONNECTIONS,
    );
    done();
    // A request the gateway gave up on (504) is still worked on by the service: time until every one is settled.
    done = progress('until the service has settled every registration');
    const registrations = `${activityPath}/registrations`;
    await eventually(
      async () => {
        const [confirmed, waiting] = await Promise.all([
          allRegistrations(system.admin, registrations, RegistrationStatus.Confirmed),
          allRegistrations(system.admin, registrations, RegistrationStatus.Waitlisted),
        ]);
        return confirmed.length + waiting.length >= RESIDENTS;
      },
      'every registration settled',
      Math.max(60_000, RESIDENTS * 400),
    ).catch((error) => console.log(`\n    ${String(error)}`));
    const settledMs = performance.now() - t0;
    done();
    const rssLine = rss.stop();

    console.log(
      `\n${loadTable([
        { name: '(a) GET activity', outcome: reads },
        { name: '(b) POST registration', outcome: burst },
      ])}\n`,
    );
    const [read, write] = [figures(reads), figures(burst)];
    console.log(
      `registrations: ${write.rate.toFixed(0)}/s, p50 ${ms(write.p50)} ms, p99 ${ms(write.p99)} ms, slowest ${ms(write.max)} ms; ` +
        `whole burst ${(burst.elapsedMs / 1000).toFixed(1)} s`,
    );
    const every = figures(burst, true);
    console.log(
      `every reply of the burst, errors included: p50 ${ms(every.p50)} ms, p99 ${ms(every.p99)} ms; ` +
        `settled by the service: ${RESIDENTS} in ${(settledMs / 1000).toFixed(1)} s = ${(RESIDENTS / (settledMs / 1000)).toFixed(1)} registrations/s`,
    );
    console.log(
      `ratio registrations/s to reads/s: ${ratio(write.rate / read.rate)} (answered in time), ` +
        `${ratio(RESIDENTS / (settledMs / 1000) / read.rate)} (settled); p99 ratio ${ratio(write.p99 / read.p99)}`,
    );
    console.log(
      `burst replies by HTTP status: ${JSON.stringify(burst.statuses)}${burst.firstError ? `; first error: ${burst.firstError}` : ''}`,
    );
    console.log(rssLine);

    const { failures, lines } = await prove(system.admin, activityPath, Math.max(RESIDENTS - PLACES, 0));
    console.log(`\nproof from the API:\n  ${lines.join('\n  ')}`);
    if (failures.length > 0) {
      console.log(`FAILED:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log(
        `PASSED: exactly ${PLACES} people hold places; waiting positions are 1..${RESIDENTS - PLACES} without gaps`,
      );
    }
  },
);
