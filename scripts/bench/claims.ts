/**
 * CLAIM_CONTENDERS claims of one approved micro-wish at once through the gateway, CLAIM_ROUNDS times (a new wish
 * each round): exactly one claim may win (2xx), every other must answer 409, none 5xx; the wish must then show the
 * winner as its claimant (exit code 1 otherwise). Baseline: as many `GET` reads of the wish at the same concurrency.
 *
 *   npm run build && node dist/scripts/bench/claims.js
 */
import {
  BenchSystem,
  RUN,
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
  eventually,
} from './support';

const CONTENDERS = positiveEnv('CLAIM_CONTENDERS', 50);
const ROUNDS = positiveEnv('CLAIM_ROUNDS', 5);

runBench(
  `Micro-wish claims: ${CONTENDERS} at once, ${ROUNDS} rounds`,
  undefined,
  async (system: BenchSystem) => {
    let done = progress('community, one resident');
    const community = await seedCommunity(system.admin, {
      code: `CLM${RUN}`,
      buildings: 1,
      grids: 1,
      floors: 2,
      unitsPerFloor: 2,
    });
    const [resident] = await seedResidents(system, community.communityId, community.units.slice(0, 1), {
      prefix: 'claim',
    });
    done();
    const wishes = `/api/v1/communities/${community.communityId}/micro-wishes`;
    const neededBy = new Date(Date.now() + 14 * 24 * 3600_000).toISOString().slice(0, 10);
    console.log(`\n${machineLine(`${CONTENDERS} connections, one request each per round`)}`);

    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    let reads, claims;
    for (let round = 0; round < ROUNDS; round++) {
      // Posting needs activities to know where the resident lives (a read model fed by events): set-up waits for it.
      const posted = await eventually<{ id: string }>(
        () =>
          system.api(resident.token).post(wishes, {
            what: `A desk lamp, round ${round}`,
            why: 'Homework at night',
            category: 'study',
            neededBy,
          }),
        'the wish posted once activities knows the residence',
      );
      await system.admin.post(`${wishes}/${posted.id}/review`, { decision: 'approve' });
      const path = `${wishes}/${posted.id}`;
      done = progress(`round ${round + 1}: ${CONTENDERS} reads, then ${CONTENDERS} claims`);
      reads = await httpBurst(
        system.baseUrl,
        Array.from({ length: CONTENDERS }, () => ({ method: 'GET', path, token: system.admin.token })),
        CONTENDERS,
      );
      claims = await httpBurst(
        system.baseUrl,
        Array.from({ length: CONTENDERS }, (_, i) => ({
          method: 'POST',
          path: `${path}/claim`,
          token: system.admin.token,
          body: { kind: 'enterprise', organisationName: `Enterprise ${i}` },
        })),
        CONTENDERS,
      );
      done();
      for (const [status, count] of Object.entries(claims.statuses ?? {}))
        statuses[status] = (statuses[status] ?? 0) + count;
      const won = Object.entries(claims.statuses ?? {})
        .filter(([s]) => s.startsWith('2'))
        .reduce((n, [, c]) => n + c, 0);
      const conflicts = claims.statuses?.['409'] ?? 0;
      const wish = await system.admin.get(path);
      if (won !== 1) failures.push(`round ${round + 1}: ${won} claims won, expected 1`);
      if (conflicts !== CONTENDERS - 1)
        failures.push(`round ${round + 1}: ${conflicts} answered 409, expected ${CONTENDERS - 1}`);
      if (wish.status !== 'claimed' || !wish.claimant?.name?.startsWith('Enterprise '))
        failures.push(
          `round ${round + 1}: the wish is ${wish.status} with claimant ${JSON.stringify(wish.claimant)}`,
        );
    }

    console.log(
      `\n${loadTable([
        { name: '(a) GET wish', outcome: reads! },
        { name: '(b) POST claim', outcome: claims! },
      ])}\n`,
    );
    const [read, claim] = [figures(reads!, true), figures(claims!, true)];
    console.log(
      `last round, every reply: claims p50 ${ms(claim.p50)} ms, p99 ${ms(claim.p99)} ms; p99 ratio to reads ${ratio(claim.p99 / read.p99)}`,
    );
    console.log(`claim replies by HTTP status over ${ROUNDS} rounds: ${JSON.stringify(statuses)}`);
    if (failures.length > 0) {
      console.log(`FAILED:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log(`PASSED: every round 1 claim won, ${CONTENDERS - 1} answered 409, no 5xx`);
    }
  },
);
