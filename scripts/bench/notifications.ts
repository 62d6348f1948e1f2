/**
 * An announcement to a whole community of N residents: the time from posting it until every sampled resident's
 * inbox shows it, the rows stored for it (one, whatever N), then inbox reads and unread counts under load. Baseline:
 * the same residents' `GET /api/v1/me/notifications/unread-count` against `GET /api/v1/me/notifications`.
 *
 *   npm run build && node dist/scripts/bench/notifications.js
 *   NOTIFY_RESIDENTS=2000 NOTIFY_SAMPLE=100 node dist/scripts/bench/notifications.js
 */
import { INestApplication } from '@nestjs/common';
import { ServiceName } from '@cg/contracts';
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
  runBench,
  seedCommunity,
  seedResidents,
  sleep,
  table,
} from './support';

const RESIDENTS = positiveEnv('NOTIFY_RESIDENTS', 400);
const SAMPLE = Math.min(RESIDENTS, positiveEnv('NOTIFY_SAMPLE', 50));
const BUILDINGS = positiveEnv('NOTIFY_BUILDINGS', 10);
const SECONDS = positiveEnv('BENCH_SECONDS', 5);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const UNITS_PER_FLOOR = 4;

runBench('notifications: an announcement to a whole community, and inbox reads', undefined, async (system) => {
  console.log(machineLine(`${RESIDENTS} residents in ${BUILDINGS} buildings, ${SAMPLE} inboxes sampled`));
  const config = system.config(ServiceName.Notifications);
  let notifications: INestApplication | undefined;
  try {
    notifications = await startServiceApp(NotificationsAppModule.register(config, loadNotificationsOptions()), config);
    const floors = Math.ceil(RESIDENTS / BUILDINGS / UNITS_PER_FLOOR);
    let done = progress(`seeding ${BUILDINGS} buildings and ${RESIDENTS} residents`);
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
    const db = notifications.get<Connection>(getConnectionToken());
    const rows = {
      audience: await db.collection('audience_notices').countDocuments(),
      personal: await db.collection('notices').countDocuments(),
    };

    done = progress(`inbox reads for ${SECONDS} s`);
    const specs = (path: string) => sample.map((r) => ({ method: 'GET', path, token: r.token }));
    const reads = await httpLoad(system.baseUrl, specs(`${inbox}?limit=20`), { connections: CONNECTIONS, seconds: SECONDS });
    const counts = await httpLoad(system.baseUrl, specs(`${inbox}/unread-count`), { connections: CONNECTIONS, seconds: SECONDS });
    done();

    console.log('\n' + table(
      ['announcement to the community', 'value'],
      [
        ['residents in the community', String(RESIDENTS)],
        ['sampled inboxes showing it', `${seenAt.size} of ${sample.length}`],
        ['post → first sampled inbox, ms', ms(delays[0])],
        ['post → every sampled inbox, ms', ms(delays[delays.length - 1])],
        ['rows stored for it (audience / personal)', `${rows.audience} / ${rows.personal}`],
      ],
    ));
    const r = figures(reads);
    const c = figures(counts);
    console.log('\n' + table(
      ['read', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs unread-count'],
      [
        ['GET /me/notifications?limit=20', r.rate.toFixed(0), ms(r.p50), ms(r.p99), String(reads.errors), ratio(r.rate / c.rate)],
        ['GET /me/notifications/unread-count', c.rate.toFixed(0), ms(c.p50), ms(c.p99), String(counts.errors), ratio(1)],
      ],
    ));
    if (seenAt.size < sample.length) process.exitCode = 1;
  } finally {
    await notifications?.close();
    // The other services' databases are dropped by the bench system; this one is the script's own.
    const connection = await createConnection(config.mongoUrl).asPromise();
    await connection.useDb(config.mongoDb).dropDatabase().catch(() => undefined);
    await connection.close();
  }
});
