/**
 * Seeds a demo district through the gateway's public API, so it exercises the same paths as the apps.
 * SEED_SIZE=demo (default) is small and quick; SEED_SIZE=full builds the reference community: 4 residential
 * areas, 15 grids, 286 buildings of 11 floors x 4 units (12,584 units) and 40,000 residents.
 * Idempotent: a finished seed is remembered in .local/seed-<size>.json and not repeated.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { idNumberCheckCharacter } from '@cg/contracts';

const base = (process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const size = process.env.SEED_SIZE === 'full' ? 'full' : 'demo';
const state = process.env.LOCAL_STATE_DIR ?? join(process.cwd(), '.local');
const marker = join(state, `seed-${size}.json`);
const admin = {
  username: process.env.BOOTSTRAP_ADMIN_USERNAME ?? 'admin',
  password: process.env.BOOTSTRAP_ADMIN_PASSWORD ?? 'admin-password',
};

/** A valid ID number (GB 11643-1999), unique per row: a thousand per birth date from 1950-01-01 on. */
function citizenIdNumber(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `310104${birth}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

const PLAN = {
  demo: {
    areas: 2,
    grids: 3,
    buildings: 12,
    floors: 6,
    unitsPerFloor: 4,
    residents: 40,
    partyMembers: 8,
    cases: 6,
  },
  full: {
    areas: 4,
    grids: 15,
    buildings: 286,
    floors: 11,
    unitsPerFloor: 4,
    residents: 40_000,
    partyMembers: 775,
    cases: 60,
  },
}[size];

/** A second, small community, so the district has more than one. */
const NEIGHBOUR = { areas: 1, grids: 1, buildings: 4, floors: 5, unitsPerFloor: 2, residents: 12 };

const CASES: [string, string][] = [
  ['group_rental', 'Six people sleeping in a two-room flat, mattresses in the living room'],
  ['noise', 'Renovation drilling before 8 in the morning on Sunday'],
  ['illegal_construction', 'A steel shed is being built on the rooftop terrace'],
  ['sanitation', 'Garbage sorting bins at the north gate overflow every evening'],
  ['property_maintenance', 'The lift in this building has stopped between floors twice this week'],
  ['home_as_business', 'The ground-floor flat is being used as a small workshop with machines'],
  ['safety_hazard', 'E-bikes are charged in the stairwell overnight'],
  ['neighbour_dispute', 'Water leaks from the flat above and the neighbours cannot agree on repairs'],
];

const DEMO_ACCOUNTS = {
  staff: { username: 'staff', password: 'staff-password', name: 'Chen Jing (community staff)' },
  gridWorker: { username: 'gridworker', password: 'grid-password', name: 'Wang Fang (grid staff)' },
  resident: { username: 'resident', password: 'resident-password', name: 'Li Ming' },
};

const SURNAMES = [
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Yang',
  'Zhao',
  'Huang',
  'Zhou',
  'Wu',
  'Xu',
  'Sun',
  'Hu',
  'Zhu',
  'Gao',
  'Lin',
];
const GIVEN = [
  'Wei',
  'Fang',
  'Min',
  'Jing',
  'Li',
  'Qiang',
  'Lei',
  'Jun',
  'Yan',
  'Hui',
  'Ping',
  'Gang',
  'Xiu',
  'Lan',
  'Tao',
  'Ming',
];

interface Reply<T = any> {
  status: number;
  body: T;
}

async function call<T = any>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<Reply<T>> {
  let timedOut = false;
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
    // Rate limiting, a service at capacity or still starting, or a slow answer: wait and try again.
    if ((response.status === 429 || response.status === 503 || response.status === 504) && attempt < 20) {
      timedOut ||= response.status === 504;
      await new Promise((r) => setTimeout(r, 500 * attempt));
      continue;
    }
    // A write the gateway stopped waiting for was done all the same: its repeat finds it done.
    if (timedOut && method !== 'GET' && response.status === 409) return { status: 200, body: reply.body };
    return reply;
  }
}

async function must<T = any>(method: string, path: string, body: unknown, token: string): Promise<T> {
  // Accepted statuses are 2xx; anything else stops the seed with the problem document.
  const reply = await call<T>(method, path, body, token);
  if (reply.status >= 300)
    throw new Error(`${method} ${path} -> ${reply.status} ${JSON.stringify(reply.body)}`);
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
  process.stdout.write(
    `\r[seed] ${label.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
  );
  if (done === total) process.stdout.write('\n');
}

async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  label: string,
) {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
        done++;
        if (done % Math.max(1, Math.floor(items.length / 100)) === 0 || done === items.length)
          progress(label, done, items.length);
      }
    }),
  );
}

function personName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]} ${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
}

type Accounts = Record<keyof typeof DEMO_ACCOUNTS, { username: string; password: string; name: string }>;

function summary(communityId: string, accounts: Accounts): void {
  console.log(`[seed] community ${communityId} (${size})`);
  console.log(`[seed] logins: district admin ${admin.username} / ${admin.password}`);
  for (const account of Object.values(accounts))
    console.log(`[seed]         ${account.name}: ${account.username} / ${account.password}`);
  console.log(
    `[seed] try:    curl -s -X POST ${base}/api/v1/auth/login -H 'content-type: application/json' \\`,
  );
  console.log(
    `[seed]           -d '{"username":"${accounts.resident.username}","password":"${accounts.resident.password}"}'`,
  );
}

interface Unit {
  id: string;
  code: string;
  buildingCode: string;
}

interface Plan {
  areas: number;
  grids: number;
  buildings: number;
  floors: number;
  unitsPerFloor: number;
}

async function buildCommunity(token: string, plan: Plan, code: string, name: string, street: string) {
  const community = await must(
    'POST',
    '/api/v1/communities',
    { code, name, district: 'Xuhui District', street },
    token,
  );
  const cid: string = community.id;
  const areas = [];
  for (let a = 1; a <= plan.areas; a++) {
    areas.push(
      await must(
        'POST',
        `/api/v1/communities/${cid}/areas`,
        { code: `A${a}`, name: `Residential area ${a}` },
        token,
      ),
    );
  }
  const grids = [];
  for (let g = 1; g <= plan.grids; g++) {
    const area = areas[(g - 1) % areas.length];
    grids.push(
      await must(
        'POST',
        `/api/v1/communities/${cid}/grids`,
        { areaId: area.id, code: `G${String(g).padStart(2, '0')}`, name: `Grid ${g}` },
        token,
      ),
    );
  }
  const buildingIds: string[] = [];
  for (let g = 0; g < grids.length; g++) {
    const specs = [];
    for (let b = g; b < plan.buildings; b += grids.length) {
      specs.push({
        code: `B${String(b + 1).padStart(3, '0')}`,
        name: `Building ${b + 1}`,
        floors: plan.floors,
        unitsPerFloor: plan.unitsPerFloor,
      });
    }
    const created = await must(
      'POST',
      `/api/v1/communities/${cid}/buildings/bulk`,
      { gridId: grids[g].id, buildings: specs },
      token,
    );
    buildingIds.push(...created.buildings.map((b: { id: string }) => b.id));
    await must(
      'POST',
      `/api/v1/communities/${cid}/staff`,
      {
        nodeId: grids[g].id,
        position: 'grid_head',
        name: `${personName(g + 7)} (grid head)`,
        phone: `1390000${String(g).padStart(4, '0')}`,
      },
      token,
    );
    progress('buildings', g + 1, grids.length);
  }

  const perBuilding: Unit[][] = [];
  await pool(
    buildingIds,
    4,
    async (buildingId, b) => {
      const found: Unit[] = [];
      let cursor: string | undefined;
      do {
        const page = await must(
          'GET',
          `/api/v1/communities/${cid}/buildings/${buildingId}/units?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          token,
        );
        found.push(
          ...page.items.map((u: Unit) => ({ id: u.id, code: u.code, buildingCode: u.buildingCode })),
        );
        cursor = page.nextCursor;
      } while (cursor);
      perBuilding[b] = found;
    },
    'units',
  );
  const units = perBuilding.flat();

  return { cid, grids, buildingIds, units: units.map((u) => u.id), unitDetails: units };
}

/**
 * Every resident but the first (registered by hand with an app account) in one residents import through the API:
 * each unit gets an owner with a registered area (a designated voter), the rest are family members and tenants.
 * The bar follows grid's resident count, which moves as the registrations' events arrive.
 */
async function importResidents(
  cid: string,
  units: Unit[],
  token: string,
): Promise<{ created: number; owners: number }> {
  const header = 'building,unit,name,phone,id_number,relation,area,area_source,voter';
  const lines = [header];
  let owners = 0;
  for (let i = 1; i < PLAN.residents; i++) {
    const unit = units[i % units.length];
    const owner = i < units.length;
    const relation = owner ? 'owner' : i % 3 === 0 ? 'tenant' : 'family_member';
    const area = owner ? `${60 + ((i * 37) % 80)}.${String((i * 13) % 100).padStart(2, '0')}` : '';
    const idNumber = citizenIdNumber(i);
    lines.push(
      [
        unit.buildingCode,
        unit.code,
        personName(i),
        `138${String(10_000_000 + i).slice(-8)}`,
        idNumber,
        relation,
        area,
        owner ? 'register' : '',
        owner ? 'yes' : '',
      ].join(','),
    );
    if (owner) owners++;
  }
  const response = await fetch(`${base}/api/v1/communities/${cid}/residents/imports`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
    body: `${lines.join('\n')}\n`,
  });
  const submitted = (await response.json()) as { id: string; code?: string; message?: string };
  if (response.status !== 202)
    throw new Error(`the residents import was refused: ${JSON.stringify(submitted)}`);
  const expected = PLAN.residents;
  let created = 0;
  for (;;) {
    const job = await must(
      'GET',
      `/api/v1/communities/${cid}/residents/imports/${submitted.id}`,
      undefined,
      token,
    );
    if (job.status === 'rejected' || job.status === 'failed')
      throw new Error(
        `the residents import ended ${job.status}: ${job.message ?? ''} ${JSON.stringify(job.errors?.slice(0, 5) ?? [])}`,
      );
    const hierarchy = await call('GET', `/api/v1/communities/${cid}/hierarchy`, undefined, token);
    const counted: number =
      hierarchy.status === 200
        ? hierarchy.body.areas
            .flatMap((a: any) => a.grids)
            .flatMap((g: any) => g.buildings)
            .reduce((sum: number, b: any) => sum + b.residentCount, 0)
        : 0;
    progress('residents', Math.min(counted, expected), expected);
    if (job.status === 'completed') created = job.report.residentsCreated;
    if (job.status === 'completed' && counted >= expected) return { created, owners };
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Residents to register as party members: every seventh one of the community's resident list. */
async function partyMemberCandidates(cid: string, token: string, wanted: number): Promise<string[]> {
  const members: string[] = [];
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await must(
      'GET',
      `/api/v1/communities/${cid}/residents?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      undefined,
      token,
    );
    for (const resident of page.items as { id: string }[])
      if (seen++ % 7 === 3 && members.length < wanted) members.push(resident.id);
    cursor = page.nextCursor;
  } while (cursor && members.length < wanted);
  return members;
}

async function seedOwnership(cid: string, units: [string, string][], token: string): Promise<void> {
  await pool(
    units,
    8,
    async ([unitId, personId], i) => {
      const area = `${60 + ((i * 37) % 80)}.${String((i * 13) % 100).padStart(2, '0')}`;
      await must(
        'PUT',
        `/api/v1/communities/${cid}/units/${unitId}/ownership`,
        { ownerPersonIds: [personId], registerArea: area },
        token,
      );
    },
    'owners',
  );
}

async function seedPartyMembers(cid: string, people: string[], token: string): Promise<void> {
  const workplaces = [
    'Xuhui District Hospital',
    'Kangjian Street Office',
    'Shanghai Normal University',
    'District Tax Bureau',
    'Metro Line 12 Depot',
  ];
  await pool(
    people,
    8,
    async (personId, i) => {
      await must(
        'PUT',
        `/api/v1/communities/${cid}/party-members/${personId}`,
        {
          workplaceOrganisation: `Party branch of ${workplaces[i % workplaces.length]}`,
          joinedOn: `${1990 + (i % 30)}-07-01`,
          status: 'in_service',
        },
        token,
      );
      await must('POST', `/api/v1/communities/${cid}/party-members/${personId}/dual-registration`, {}, token);
      await must(
        'POST',
        `/api/v1/communities/${cid}/party-members/${personId}/dual-registration/decision`,
        { approve: true },
        token,
      );
    },
    'party',
  );
}

async function seedCases(cid: string, units: string[], token: string): Promise<void> {
  const items = Array.from({ length: PLAN.cases }, (_, i) => i);
  await pool(
    items,
    4,
    async (i) => {
      const [category, description] = CASES[i % CASES.length];
      await must(
        'POST',
        `/api/v1/communities/${cid}/cases`,
        {
          category,
          description,
          urgency: i % 5 === 0 ? 'urgent' : 'normal',
          locationKind: 'unit',
          locationId: units[(i * 7) % units.length],
        },
        token,
      );
    },
    'cases',
  );
}

async function seedActivities(cid: string, token: string): Promise<void> {
  const day = 24 * 3600 * 1000;
  const now = Date.now();
  const activities = [
    {
      title: 'Parent-child lantern making',
      type: 'parent_child',
      place: 'Community centre, room 2',
      capacity: 40,
      familyMembersAllowed: true,
      starts: 10,
    },
    {
      title: 'Lawn music festival',
      type: 'festival',
      place: 'Central lawn',
      capacity: 300,
      familyMembersAllowed: true,
      starts: 20,
    },
  ];
  for (const a of activities) {
    const created = await must(
      'POST',
      `/api/v1/communities/${cid}/activities`,
      {
        title: a.title,
        type: a.type,
        organiser: { kind: 'body', name: "Residents' committee" },
        place: a.place,
        startsAt: new Date(now + a.starts * day).toISOString(),
        endsAt: new Date(now + a.starts * day + 3 * 3600 * 1000).toISOString(),
        audience: { scope: 'community' },
        capacity: a.capacity,
        registrationOpensAt: new Date(now - day).toISOString(),
        registrationClosesAt: new Date(now + (a.starts - 1) * day).toISOString(),
        familyMembersAllowed: a.familyMembersAllowed,
      },
      token,
    );
    await must('POST', `/api/v1/communities/${cid}/activities/${created.id}/publish`, {}, token);
  }
}

async function seedMicroWishes(cid: string, residentToken: string, staffToken: string): Promise<void> {
  const wishes = [
    {
      what: 'A reading lamp for my grandson',
      why: 'He does homework at night in a dark room',
      category: 'study',
    },
    {
      what: 'Someone to fix the handrail on the 3rd floor',
      why: 'My mother is 86 and holds on to it every day',
      category: 'repair',
    },
    {
      what: 'Company for a weekly walk in the park',
      why: 'I live alone since my wife passed away',
      category: 'companionship',
    },
  ];
  for (const [i, wish] of wishes.entries()) {
    const posted = await must(
      'POST',
      `/api/v1/communities/${cid}/micro-wishes`,
      {
        ...wish,
        neededBy: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      },
      residentToken,
    );
    if (i < 2)
      await must(
        'POST',
        `/api/v1/communities/${cid}/micro-wishes/${posted.id}/review`,
        { decision: 'approve' },
        staffToken,
      );
  }
}

async function seedBallot(cid: string, token: string, unitCount: number): Promise<string> {
  const now = Date.now();
  const ballot = await must(
    'POST',
    `/api/v1/communities/${cid}/ballots`,
    {
      title: 'Adopt the revised management covenant',
      description: 'The covenant adds rules on e-bike charging and on renovation hours.',
      matter: 'management_covenant',
      options: ['agree', 'disagree', 'abstain'],
      opensAt: new Date(now).toISOString(),
      closesAt: new Date(now + 14 * 24 * 3600 * 1000).toISOString(),
    },
    token,
  );
  // The owner register reaches property through events; wait until it has the owners before freezing it.
  for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
    const summary = await call('GET', `/api/v1/communities/${cid}/owner-register/summary`, undefined, token);
    const units = summary.status === 200 ? (summary.body.units as number) : 0;
    progress('owner units', Math.min(units, unitCount), unitCount);
    if (units >= unitCount) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  await must('POST', `/api/v1/communities/${cid}/ballots/${ballot.id}/open`, {}, token);
  return ballot.id;
}

async function buildNeighbourResidents(
  neighbour: { cid: string; units: string[] },
  token: string,
): Promise<void> {
  const people = Array.from({ length: NEIGHBOUR.residents }, (_, i) => i);
  await pool(
    people,
    4,
    async (i) => {
      await must(
        'POST',
        `/api/v1/communities/${neighbour.cid}/residents`,
        {
          name: personName(i + 101),
          phone: `137${String(20_000_000 + i).slice(-8)}`,
          unitId: neighbour.units[i % neighbour.units.length],
          relation: i < neighbour.units.length ? 'owner' : 'family_member',
        },
        token,
      );
    },
    'neighbours',
  );
}

async function main(): Promise<void> {
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as { communityId: string; accounts: Accounts };
    if (done.accounts && (await login(done.accounts.staff.username, done.accounts.staff.password))) {
      console.log('[seed] already seeded');
      return summary(done.communityId, done.accounts);
    }
  }
  const started = Date.now();
  const token = await login(admin.username, admin.password);
  if (!token)
    throw new Error(`cannot log in as ${admin.username}; is membership running with BOOTSTRAP_ADMIN_* set?`);

  const suffix = Date.now().toString(36).slice(-5);
  const neighbour = await buildCommunity(
    token,
    NEIGHBOUR,
    `ML-${suffix}`,
    'Meilong Community',
    'Meilong Street',
  );
  console.log(`[seed] neighbouring community ${neighbour.cid}: ${neighbour.units.length} units`);
  const {
    cid,
    grids,
    buildingIds,
    units: unitIds,
    unitDetails,
  } = await buildCommunity(
    token,
    PLAN,
    `KJ-${size.toUpperCase()}-${suffix}`,
    size === 'full' ? 'Kangjian Community' : 'Kangjian Community (demo)',
    'Kangjian Street',
  );
  // The usual demo usernames, or suffixed ones when an earlier, interrupted seed already took them.
  const accounts = structuredClone(DEMO_ACCOUNTS) as Accounts;
  for (const key of ['staff', 'gridWorker'] as const) {
    const account = accounts[key];
    const roles = key === 'staff' ? ['community_staff'] : ['grid_worker'];
    const create = () => call('POST', '/api/v1/accounts', { ...account, roles, communityIds: [cid] }, token);
    let reply = await create();
    if (reply.body?.code === 'USERNAME_TAKEN') {
      account.username = `${account.username}-${suffix}`;
      reply = await create();
    }
    if (reply.status >= 300) throw new Error(JSON.stringify(reply.body));
    // The grid worker handles the cases of the grid they staff: the first grid, where the demo resident lives.
    if (key === 'gridWorker') {
      await must(
        'POST',
        `/api/v1/communities/${cid}/staff`,
        { nodeId: grids[0].id, position: 'grid_staff', name: account.name, accountId: reply.body.id },
        token,
      );
    }
  }
  const residentAccount = accounts.resident;
  const registerFirst = () =>
    call(
      'POST',
      `/api/v1/communities/${cid}/residents`,
      {
        name: residentAccount.name,
        phone: '13800000001',
        unitId: unitIds[0],
        relation: 'owner',
        account: { username: residentAccount.username, password: residentAccount.password },
      },
      token,
    );
  let first = await registerFirst();
  if (first.body?.code === 'USERNAME_TAKEN') {
    residentAccount.username = `${residentAccount.username}-${suffix}`;
    first = await registerFirst();
  }
  if (first.status >= 300) throw new Error(JSON.stringify(first.body));

  const owners = new Map<string, string>();
  owners.set(unitIds[0], first.body.id);
  const imported = await importResidents(cid, unitDetails, token);
  const members = await partyMemberCandidates(cid, token, PLAN.partyMembers);
  const staffToken = (await login(accounts.staff.username, accounts.staff.password))!;
  const residentToken = (await login(residentAccount.username, residentAccount.password))!;
  // Every other unit's owner came with an area in the import; the first resident registered by hand.
  await seedOwnership(cid, [...owners.entries()], staffToken);
  await seedPartyMembers(cid, members, staffToken);
  await seedCases(cid, unitIds, residentToken);
  await seedActivities(cid, staffToken);
  await seedMicroWishes(cid, residentToken, staffToken);
  const ballot = await seedBallot(cid, staffToken, Math.min(PLAN.residents, unitIds.length));
  console.log(`[seed] open ballot ${ballot}`);
  await buildNeighbourResidents(neighbour, token);

  mkdirSync(state, { recursive: true });
  writeFileSync(
    marker,
    JSON.stringify({ communityId: cid, accounts, seededAt: new Date().toISOString() }, null, 2),
  );
  console.log(
    `[seed] ${PLAN.areas} areas, ${grids.length} grids, ${buildingIds.length} buildings, ${unitIds.length} units, ` +
      `${imported.created + 1} residents, ${imported.owners + 1} owners of record, ${members.length} party members, ` +
      `${PLAN.cases} cases, 2 activities, 3 micro-wishes, 1 open ballot, plus a neighbouring community, ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  summary(cid, accounts);
}

main().catch((error) => {
  console.error(`\n[seed] failed: ${(error as Error).message}`);
  process.exit(1);
});
