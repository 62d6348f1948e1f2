/**
 * An announcement to a whole community: 12,500 households and 40,000 people at full size. Seeded residents
 * (NOTIFY_RESIDENTS, with accounts, homes known to grid) are the sampled readers; the rest of the people
 * (NOTIFY_PEOPLE in all) read with tokens of their own. Measured: the time from posting it until every sampled inbox
 * shows it, then until every one of the people's inboxes has been read showing it; the rows stored for it; inbox
 * reads and unread counts under concurrent readers. Baseline, in the same run: the same reads by one reader at a time.
 *
 *   npm run build && node dist/scripts/bench/notifications.js                  (full size)
 *   NOTIFY_PEOPLE=2000 NOTIFY_HOUSEHOLDS=600 NOTIFY_RESIDENTS=200 node dist/scripts/bench/notifications.js
 */
import { INestApplication } from '@nestjs/common';
import { Role, ServiceName } from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { Types } from 'mongoose';
import { startServiceApp } from '@cg/messaging';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, createConnection } from 'mongoose';
import { NotificationsAppModule } from '../../apps/notifications/src/app.module';
import { loadNotificationsOptions } from '../../apps/notifications/src/options';
import {
  figures,
  httpLoad,
  machineLine,
  mapLimit,
  ms,
  positiveEnv,
  progress,
  ratio,
  retrying,
  runBench,
  seedCommunity,
  seedResidents,
  sleep,
  table,
} from './support';

const PEOPLE = positiveEnv('NOTIFY_PEOPLE', 40_000);
const HOUSEHOLDS = positiveEnv('NOTIFY_HOUSEHOLDS', 12_500);
const RESIDENTS = Math.min(HOUSEHOLDS, positiveEnv('NOTIFY_RESIDENTS', 400));
const SAMPLE = Math.min(RESIDENTS, positiveEnv('NOTIFY_SAMPLE', 50));
const BUILDINGS = positiveEnv('NOTIFY_BUILDINGS', 250);
const SWEEP_CONNECTIONS = positiveEnv('NOTIFY_SWEEP_CONNECTIONS', 8);
const SECONDS = positiveEnv('BENCH_SECONDS', 5);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const UNITS_PER_FLOOR = 4;

runBench('notifications: an announcement to a whole community, and inbox reads', undefined, async (system) => {
  console.log(machineLine(`${PEOPLE} people in ${HOUSEHOLDS} households of ${BUILDINGS} buildings; ${RESIDENTS} seeded residents, ${SAMPLE} inboxes sampled`));
  const config = system.config(ServiceName.Notifications);
  let notifications: INestApplication | undefined;
  try {
    notifications = await startServiceApp(NotificationsAppModule.register(config, loadNotificationsOptions()), config);
    const floors = Math.ceil(HOUSEHOLDS / BUILDINGS / UNITS_PER_FLOOR);
    let done = progress(`seeding ${BUILDINGS} buildings, ${HOUSEHOLDS} households and ${RESIDENTS} residents`);
    const community = await seedCommunity(system.admin, {
      code: `N${Date.now().toString(36)}`,
      buildings: BUILDINGS,
      grids: Math.max(1, Math.ceil(BUILDINGS / 20)),
      floors,
      unitsPerFloor: UNITS_PER_FLOOR,
      listUnits: true,
    });
    const residents = await seedResidents(system, community.communityId, community.units.slice(0, RESIDENTS), {
      relation: 'tenant',
    });
    done();
    // The other people of the community: household members and tenants whose homes grid does not list.
    const tokens = system.apps.get('gateway')!.get(TokenService);
    const others = Array.from({ length: Math.max(0, PEOPLE - residents.length) }, (_, i) => {
      const personId = new Types.ObjectId().toHexString();
      return tokens.issue({ sub: `bench-person-${i}`, personId, name: `Person ${i}`, roles: [Role.Resident], communityIds: [community.communityId] });
    });
    const everyone = [...residents.map((r) => r.token!), ...others];
    const step = Math.max(1, Math.floor(residents.length / SAMPLE));
    const sample = residents.filter((_, i) => i % step === 0).slice(0, SAMPLE);
    const inbox = '/api/v1/me/notifications';

    done = progress('first inbox read of each sampled resident (grid asked where they live)');
    await mapLimit(sample, 10, (r) => system.api(r.token).get(`${inbox}?limit=20`));
    done();

    const posted = performance.now();
    const announcement = await system.admin.post<{ id: string }>(`/api/v1/communities/${community.communityId}/announcements`, {
      title: 'Water off on Saturday 08:00-11:00',
      body: 'The pump is replaced.',
      audience: { scope: 'community' },
    });
    const seenAt = new Map<string, number>();
    while (seenAt.size < sample.length && performance.now() - posted < 120_000) {
      await mapLimit(
        sample.filter((r) => !seenAt.has(r.personId)),
        10,
        async (r) => {
          const page = await system.api(r.token).get<{ items: { link?: { id: string } }[] }>(`${inbox}?limit=20`);
          if (page.items.some((n) => n.link?.id === announcement.id)) seenAt.set(r.personId, performance.now() - posted);
        },
      );
      if (seenAt.size < sample.length) await sleep(20);
    }
    const delays = [...seenAt.values()].sort((a, b) => a - b);
    done = progress(`reading all ${everyone.length} inboxes`);
    let showing = 0;
    const retries = { count: 0 };
    await mapLimit(everyone, SWEEP_CONNECTIONS, async (token) => {
      const page = await retrying(() => system.api(token).get<{ items: { link?: { id: string } }[] }>(`${inbox}?limit=20`), retries);
      if (page.items.some((n) => n.link?.id === announcement.id)) showing++;
    });
    const everyInboxMs = performance.now() - posted;
    done();
    const db = notifications.get<Connection>(getConnectionToken());
    const rows = {
      audience: await db.collection('audience_notices').countDocuments(),
      personal: await db.collection('notices').countDocuments(),
    };

    done = progress(`inbox reads for ${SECONDS} s, alone and with ${CONNECTIONS} concurrent readers`);
    const readers = everyone.filter((_, i) => i % Math.max(1, Math.floor(everyone.length / 2000)) === 0);
    const specs = (path: string) => readers.map((token) => ({ method: 'GET', path, token }));
    const alone = { connections: 1, seconds: SECONDS };
    const together = { connections: CONNECTIONS, seconds: SECONDS };
    const readsAlone = await httpLoad(system.baseUrl, specs(`${inbox}?limit=20`), alone);
    const countsAlone = await httpLoad(system.baseUrl, specs(`${inbox}/unread-count`), alone);
    const reads = await httpLoad(system.baseUrl, specs(`${inbox}?limit=20`), together);
    const counts = await httpLoad(system.baseUrl, specs(`${inbox}/unread-count`), together);
    done();

    console.log('\n' + table(
      ['announcement to the community', 'value'],
      [
        ['people in the community (households)', `${everyone.length} (${HOUSEHOLDS})`],
        ['sampled inboxes showing it', `${seenAt.size} of ${sample.length}`],
        ['post → first sampled inbox, ms', ms(delays[0])],
        ['post → every sampled inbox, ms', ms(delays[delays.length - 1])],
        ['inboxes showing it, all people read once', `${showing} of ${everyone.length}`],
        ['post → every inbox read showing it, ms', ms(everyInboxMs)],
        ['reads retried after 503/504 while reading every inbox', String(retries.count)],
        ['rows stored for it (audience / personal)', `${rows.audience} / ${rows.personal}`],
      ],
    ));
    const [r, c, ra, ca] = [figures(reads), figures(counts), figures(readsAlone), figures(countsAlone)];
    const row = (name: string, f: typeof r, errors: number, base: typeof r) =>
      [name, f.rate.toFixed(0), ms(f.p50), ms(f.p99), String(errors), ratio(f.p99 / base.p99)];
    console.log('\n' + table(
      ['read', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'p99 vs one reader'],
      [
        row('GET /me/notifications?limit=20, 1 reader (baseline)', ra, readsAlone.errors, ra),
        row(`GET /me/notifications?limit=20, ${CONNECTIONS} readers`, r, reads.errors, ra),
        row('GET /me/notifications/unread-count, 1 reader (baseline)', ca, countsAlone.errors, ca),
        row(`GET /me/notifications/unread-count, ${CONNECTIONS} readers`, c, counts.errors, ca),
      ],
    ));
    if (seenAt.size < sample.length || showing < everyone.length) process.exitCode = 1;
  } finally {
    await notifications?.close();
    // The other services' databases are dropped by the bench system; this one is the script's own.
    const connection = await createConnection(config.mongoUrl).asPromise();
    await connection.useDb(config.mongoDb).dropDatabase().catch(() => undefined);
    await connection.close();
  }
});
