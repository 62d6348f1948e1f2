/**
 * Seeds a demo district through the gateway's public API, so it exercises the same paths as the apps.
 * SEED_SIZE=demo (default) is small and quick; SEED_SIZE=full builds the reference community: 4 residential
 * areas, 15 grids, 286 buildings of 11 floors x 4 units (12,584 units) and 40,000 residents.
 * Idempotent: a finished seed is remembered in .local/seed-<size>.json and not repeated.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const base = (process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const size = process.env.SEED_SIZE === 'full' ? 'full' : 'demo';
const state = process.env.LOCAL_STATE_DIR ?? join(process.cwd(), '.local');
const marker = join(state, `seed-${size}.json`);
const admin = {
  username: process.env.BOOTSTRAP_ADMIN_USERNAME ?? 'admin',
  password: process.env.BOOTSTRAP_ADMIN_PASSWORD ?? 'admin-password',
};

const PLAN = {
  demo: { areas: 2, grids: 3, buildings: 12, floors: 6, unitsPerFloor: 4, residents: 40 },
  full: { areas: 4, grids: 15, buildings: 286, floors: 11, unitsPerFloor: 4, residents: 40_000 },
}[size];

const DEMO_ACCOUNTS = {
  staff: { username: 'staff', password: 'staff-password', name: 'Chen Jing (community staff)' },
  gridWorker: { username: 'gridworker', password: 'grid-password', name: 'Wang Fang (grid head)' },
  resident: { username: 'resident', password: 'resident-password', name: 'Li Ming' },
};

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'Lin'];
const GIVEN = ['Wei', 'Fang', 'Min', 'Jing', 'Li', 'Qiang', 'Lei', 'Jun', 'Yan', 'Hui', 'Ping', 'Gang', 'Xiu', 'Lan', 'Tao', 'Ming'];

interface Reply<T = any> {
  status: number;
  body: T;
}

async function call<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<Reply<T>> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const reply = { status: response.status, body: text ? JSON.parse(text) : undefined };
    // Rate limiting or a service still warming up: wait and try again.
    if ((response.status === 429 || response.status === 503) && attempt < 20) {
      await new Promise((r) => setTimeout(r, 500 * attempt));
      continue;
    }
    return reply;
  }
}

async function must<T = any>(method: string, path: string, body: unknown, token: string): Promise<T> {
  const reply = await call<T>(method, path, body, token);
  if (reply.status >= 300) throw new Error(`${method} ${path} -> ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function login(username: string, password: string): Promise<string | undefined> {
  const reply = await call('POST', '/api/v1/auth/login', { username, password });
  return reply.status === 200 ? reply.body.accessToken : undefined;
}

let lastStep = -1;

function progress(label: string, done: number, total: number): void {
  if (!process.stdout.isTTY) {
    // Logs get a line per tenth, not a carriage-return bar.
    const step = Math.floor((done / total) * 10);
    if (step !== lastStep || done === total) console.log(`[seed] ${label} ${done}/${total}`);
    lastStep = done === total ? -1 : step;
    return;
  }
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r[seed] ${label.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stdout.write('\n');
}

async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>, label: string) {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
        done++;
        if (done % Math.max(1, Math.floor(items.length / 100)) === 0 || done === items.length) progress(label, done, items.length);
      }
    }),
  );
}

function personName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]} ${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
}

function summary(communityId: string): void {
  console.log(`[seed] community ${communityId} (${size})`);
  console.log(`[seed] logins: district admin ${admin.username} / ${admin.password}`);
  for (const account of Object.values(DEMO_ACCOUNTS)) console.log(`[seed]         ${account.name}: ${account.username} / ${account.password}`);
  console.log(`[seed] try:    curl -s -X POST ${base}/api/v1/auth/login -H 'content-type: application/json' \\`);
  console.log(`[seed]           -d '{"username":"resident","password":"resident-password"}'`);
}

async function main(): Promise<void> {
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as { communityId: string };
    if (await login(DEMO_ACCOUNTS.staff.username, DEMO_ACCOUNTS.staff.password)) {
      console.log('[seed] already seeded');
      return summary(done.communityId);
    }
  }
  const started = Date.now();
  const token = await login(admin.username, admin.password);
  if (!token) throw new Error(`cannot log in as ${admin.username}; is membership running with BOOTSTRAP_ADMIN_* set?`);

  const code = `KJ-${size.toUpperCase()}-${Date.now().toString(36).slice(-5)}`;
  const community = await must('POST', '/api/v1/communities', {
    code,
    name: size === 'full' ? 'Kangjian Community' : 'Kangjian Community (demo)',
    district: 'Xuhui District',
    street: 'Kangjian Street',
  }, token);
  const cid: string = community.id;
  const areas = [];
  for (let a = 1; a <= PLAN.areas; a++) {
    areas.push(await must('POST', `/api/v1/communities/${cid}/areas`, { code: `A${a}`, name: `Residential area ${a}` }, token));
  }
  const grids = [];
  for (let g = 1; g <= PLAN.grids; g++) {
    const area = areas[(g - 1) % areas.length];
    grids.push(await must('POST', `/api/v1/communities/${cid}/grids`, { areaId: area.id, code: `G${String(g).padStart(2, '0')}`, name: `Grid ${g}` }, token));
  }
  const buildingIds: string[] = [];
  for (let g = 0; g < grids.length; g++) {
    const specs = [];
    for (let b = g; b < PLAN.buildings; b += grids.length) {
      specs.push({ code: `B${String(b + 1).padStart(3, '0')}`, name: `Building ${b + 1}`, floors: PLAN.floors, unitsPerFloor: PLAN.unitsPerFloor });
    }
    const created = await must('POST', `/api/v1/communities/${cid}/buildings/bulk`, { gridId: grids[g].id, buildings: specs }, token);
    buildingIds.push(...created.buildings.map((b: { id: string }) => b.id));
    await must('POST', `/api/v1/communities/${cid}/staff`, { nodeId: grids[g].id, position: 'grid_head', name: `${personName(g + 7)} (grid head)`, phone: `1390000${String(g).padStart(4, '0')}` }, token);
    progress('buildings', g + 1, grids.length);
  }

  const unitIds: string[] = [];
  await pool(buildingIds, 4, async (buildingId) => {
    let cursor: string | undefined;
    do {
      const page = await must('GET', `/api/v1/communities/${cid}/buildings/${buildingId}/units?limit=200${cursor ? `&cursor=${cursor}` : ''}`, undefined, token);
      unitIds.push(...page.items.map((u: { id: string }) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
  }, 'units');

  for (const [key, account] of Object.entries(DEMO_ACCOUNTS)) {
    if (key === 'resident') continue;
    const roles = key === 'staff' ? ['community_staff'] : ['grid_worker'];
    const reply = await call('POST', '/api/v1/accounts', { username: account.username, password: account.password, name: account.name, roles, communityIds: [cid] }, token);
    if (reply.status >= 300 && reply.body?.code !== 'USERNAME_TAKEN') throw new Error(JSON.stringify(reply.body));
  }
  const residentAccount = DEMO_ACCOUNTS.resident;
  const first = await call('POST', `/api/v1/communities/${cid}/residents`, {
    name: residentAccount.name,
    phone: '13800000001',
    unitId: unitIds[0],
    relation: 'owner',
    account: { username: residentAccount.username, password: residentAccount.password },
  }, token);
  if (first.status >= 300 && first.body?.code !== 'USERNAME_TAKEN') throw new Error(JSON.stringify(first.body));

  const people = Array.from({ length: PLAN.residents - 1 }, (_, i) => i + 1);
  await pool(people, 16, async (i) => {
    const reply = await call('POST', `/api/v1/communities/${cid}/residents`, {
      name: personName(i),
      phone: `138${String(10_000_000 + i).slice(-8)}`,
      unitId: unitIds[i % unitIds.length],
      relation: i % unitIds.length === i ? 'owner' : i % 3 === 0 ? 'tenant' : 'family_member',
    }, token);
    if (reply.status >= 300 && reply.body?.code !== 'ALREADY_REGISTERED') throw new Error(JSON.stringify(reply.body));
  }, 'residents');

  mkdirSync(state, { recursive: true });
  writeFileSync(marker, JSON.stringify({ communityId: cid, seededAt: new Date().toISOString() }, null, 2));
  console.log(`[seed] ${PLAN.areas} areas, ${PLAN.grids} grids, ${buildingIds.length} buildings, ${unitIds.length} units, ${PLAN.residents} residents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  summary(cid);
}

main().catch((error) => {
  console.error(`\n[seed] failed: ${(error as Error).message}`);
  process.exit(1);
});
