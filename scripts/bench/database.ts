/**
 * The local database's two backends at full size, side by side, through the MongoDB driver (no services): a
 * community's residents and units (40,000 and 12,584) and a district's cases (10 communities x 10,000), then point
 * reads, the filtered reads lists make, counts, guarded updates with an outbox push under 50 connections, the JVM's
 * RSS, the H2 file's size and its restart time. Baseline: a lookup by `_id` on the same backend in the same run.
 *
 *   npm run build && bash scripts/servers.sh install && node dist/scripts/bench/database.js
 *   DB_RESIDENTS=40000 DB_UNITS=12584 DB_COMMUNITIES=10 DB_CASES=10000 (the defaults: full size)
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types, mongo } from 'mongoose';
import { idNumberCheckCharacter } from '@cg/contracts';
import { ROOT, mb, ms, percentile, positiveEnv, ratio, table } from './support';

/** A valid ID number (GB 11643-1999), unique per resident: a thousand per birth date from 1950-01-01 on. */
function citizenIdNumber(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `310104${birth}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

const RESIDENTS = positiveEnv('DB_RESIDENTS', 40_000);
const UNITS = positiveEnv('DB_UNITS', 12_584);
const COMMUNITIES = positiveEnv('DB_COMMUNITIES', 10);
const CASES = positiveEnv('DB_CASES', 10_000);
const SAMPLES = positiveEnv('DB_SAMPLES', 200);
const HEAP = process.env.MONGO_HEAP ?? '1g';
const CACHE_MB = process.env.MONGO_CACHE_MB ?? '512';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function rssOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
}

async function startServer(
  backend: string,
  port: number,
  file: string,
): Promise<{ child: ChildProcess; client: mongo.MongoClient; startMs: number }> {
  const dir = join(process.env.LOCAL_STATE_DIR ?? join(ROOT, '.local'), 'mongo-local');
  const t0 = performance.now();
  const child = spawn(
    'java',
    [
      `-Xmx${HEAP}`,
      '-XX:+UseSerialGC',
      '-cp',
      `${dir}/mongo-local.jar:${dir}/lib/*`,
      'local.mongo.MongoLocal',
      '--port',
      String(port),
      '--backend',
      backend,
      '--file',
      file,
      '--cache-mb',
      CACHE_MB,
    ],
    { stdio: 'ignore' },
  );
  for (;;) {
    try {
      const client = await new mongo.MongoClient(`mongodb://127.0.0.1:${port}`, {
        serverSelectionTimeoutMS: 500,
        maxPoolSize: 60,
      }).connect();
      await client.db('admin').command({ ping: 1 });
      return { child, client, startMs: performance.now() - t0 };
    } catch {
      if (child.exitCode !== null) throw new Error(`the ${backend} server exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function stopServer(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** p50 and p99 of `SAMPLES` sequential calls. */
async function sample(call: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await call(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

interface Figures {
  backend: string;
  loadMs: number;
  loaded: number;
  reads: [string, { p50: number; p99: number }][];
  updatesPerSecond: number;
  rss: number;
  fileBytes?: number;
  restartMs?: number;
}

async function measure(backend: string): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), `cg-dbbench-${backend}-`));
  const file = join(dir, 'data.mv');
  const port = await freePort();
  let { child, client } = await startServer(backend, port, file);
  try {
    const db = client.db('bench_database');
    const communityIds = Array.from({ length: COMMUNITIES }, () => new Types.ObjectId());
    const k = communityIds[0];
    const buildings = Array.from({ length: 286 }, () => new Types.ObjectId());
    const grids = Array.from({ length: 15 }, () => new Types.ObjectId());
    const unitIds = Array.from({ length: UNITS }, () => new Types.ObjectId());
    const residentIds = Array.from({ length: RESIDENTS }, () => new Types.ObjectId());
    const statuses = ['reported', 'accepted', 'in_progress', 'resolved', 'closed'];
    const insertAll = async (name: string, count: number, make: (i: number) => mongo.Document) => {
      for (let i = 0; i < count; i += 1000) {
        await db
          .collection(name)
          .insertMany(Array.from({ length: Math.min(1000, count - i) }, (_, j) => make(i + j)));
      }
    };
    const t0 = performance.now();
    await insertAll('units', UNITS, (i) => ({
      _id: unitIds[i],
      communityId: k,
      buildingId: buildings[i % 286],
      gridId: grids[i % 15],
      code: `${i}`,
      kind: 'unit',
    }));
    await insertAll('residents', RESIDENTS, (i) => ({
      _id: residentIds[i],
      communityId: k,
      unitId: unitIds[i % UNITS],
      buildingId: buildings[(i % UNITS) % 286],
      name: `Resident ${i}`,
      phone: `139${String(i).padStart(8, '0')}`,
      idNumber: citizenIdNumber(i),
      relation: i < UNITS ? 'owner' : 'family_member',
      outbox: [],
      version: 0,
    }));
    for (const communityId of communityIds) {
      await insertAll('cases', CASES, (i) => ({
        _id: new Types.ObjectId(),
        communityId,
        gridId: grids[i % 15],
        buildingId: buildings[i % 286],
        status: statuses[i % statuses.length],
        category: `c${i % 9}`,
        description: `Case ${i}: the stairwell light is out`,
        reportedAt: new Date(Date.now() - i * 60_000),
        history: [{ status: 'reported', at: new Date() }],
        outbox: [],
        version: 0,
      }));
    }
    const loaded = UNITS + RESIDENTS + COMMUNITIES * CASES;
    const loadMs = performance.now() - t0;
    const residents = db.collection('residents');
    const cases = db.collection('cases');
    const reads: [string, { p50: number; p99: number }][] = [];
    reads.push([
      '(a) resident by _id',
      await sample((i) => residents.findOne({ _id: residentIds[(i * 7919) % RESIDENTS] })),
    ]);
    reads.push([
      '(b) residents of a building, 50',
      await sample((i) =>
        residents
          .find({ communityId: k, buildingId: buildings[i % 286] })
          .sort({ _id: 1 })
          .limit(50)
          .toArray(),
      ),
    ]);
    reads.push([
      '(c) cases of a grid and status, 50',
      await sample((i) =>
        cases
          .find({ communityId: k, gridId: grids[i % 15], status: 'reported' })
          .sort({ _id: 1 })
          .limit(50)
          .toArray(),
      ),
    ]);
    reads.push([
      "(d) count of a community's open cases",
      await sample(() =>
        cases.countDocuments({ communityId: k, status: { $in: ['reported', 'accepted', 'in_progress'] } }),
      ),
    ]);
    reads.push([
      '(e) guarded update + outbox push by _id',
      await sample((i) =>
        residents.updateOne({ _id: residentIds[i], version: 0 }, {
          $set: { moved: true },
          $inc: { version: 1 },
          $push: { outbox: { id: `e${i}` } },
        } as never),
      ),
    ]);

    // 50 connections, each a guarded $inc with an outbox push and its removal: the shape of every race's write.
    const total = 5000;
    let next = 0;
    const u0 = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < total) {
          const i = next++;
          const _id = residentIds[(i * 31) % RESIDENTS];
          await residents.updateOne({ _id }, {
            $inc: { version: 1 },
            $push: { outbox: { id: `u${i}` } },
          } as never);
          await residents.updateOne({ _id }, { $pull: { outbox: { id: `u${i}` } } } as never);
        }
      }),
    );
    const updatesPerSecond = (total * 2) / ((performance.now() - u0) / 1000);
    const rss = rssOf(child.pid!);
    const figures: Figures = { backend, loadMs, loaded, reads, updatesPerSecond, rss };
    if (backend === 'h2') {
      // Killed, then reopened on the same file: how long a restart takes and whether every document is there.
      await client.close();
      await stopServer(child, 'SIGKILL');
      figures.fileBytes = statSync(file).size;
      let startMs: number;
      ({ child, client, startMs } = await startServer(backend, port, file));
      figures.restartMs = startMs;
      const again = await client.db('bench_database').collection('residents').countDocuments({});
      if (again !== RESIDENTS)
        throw new Error(`after kill -9 the H2 file holds ${again} of ${RESIDENTS} residents`);
    }
    return figures;
  } finally {
    await client.close().catch(() => undefined);
    await stopServer(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  execFileSync('bash', [join(ROOT, 'scripts/servers.sh'), 'install'], { stdio: 'inherit' });
  console.log(`# The local database, memory and H2 backends at full size\n`);
  console.log(
    `${RESIDENTS} residents, ${UNITS} units, ${COMMUNITIES} x ${CASES} cases; heap ${HEAP}, H2 cache ${CACHE_MB} MB; ${SAMPLES} sequential samples per read\n`,
  );
  const results: Figures[] = [];
  for (const backend of ['memory', 'h2']) {
    process.stdout.write(`  ${backend} ...`);
    const t0 = performance.now();
    results.push(await measure(backend));
    process.stdout.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const [memory, h2] = results;
  const rows = memory.reads.map(([name, m], i) => {
    const h = h2.reads[i][1];
    return [
      name,
      ms(m.p50),
      ms(m.p99),
      ratio(m.p50 / memory.reads[0][1].p50),
      ms(h.p50),
      ms(h.p99),
      ratio(h.p50 / h2.reads[0][1].p50),
      ratio(h.p50 / m.p50),
    ];
  });
  console.log(
    `\n${table(['read (p50/p99 ms)', 'memory p50', 'memory p99', 'vs (a)', 'h2 p50', 'h2 p99', 'vs (a)', 'h2 / memory'], rows)}\n`,
  );
  console.log(
    table(
      ['figure', 'memory', 'h2', 'h2 / memory'],
      [
        [
          'load, documents/s',
          (memory.loaded / (memory.loadMs / 1000)).toFixed(0),
          (h2.loaded / (h2.loadMs / 1000)).toFixed(0),
          ratio(memory.loadMs / h2.loadMs),
        ],
        [
          'guarded updates/s, 50 connections',
          memory.updatesPerSecond.toFixed(0),
          h2.updatesPerSecond.toFixed(0),
          ratio(h2.updatesPerSecond / memory.updatesPerSecond),
        ],
        ['server RSS after the run', mb(memory.rss), mb(h2.rss), ratio(h2.rss / memory.rss)],
        ['H2 file after the run', '-', h2.fileBytes ? mb(h2.fileBytes) : '-', ''],
        [
          'restart after kill -9 until ping (all documents there)',
          '-',
          h2.restartMs ? `${ms(h2.restartMs)} ms` : '-',
          '',
        ],
      ],
    ),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
