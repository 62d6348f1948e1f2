/**
 * A whole community's residents exported through the gateway as CSV and as Excel: rows/s, time to the first byte and
 * the peak RSS while it streams. Baseline: the same pages fetched as JSON from the residents list in the same run.
 *
 *   npm run build && node dist/scripts/bench/exports.js
 *   EXPORT_ROWS=40000 EXPORT_BUILDINGS=286 EXPORT_FLOORS=11 node dist/scripts/bench/exports.js
 *
 * The services and the gateway share this process (see support.ts), so the RSS figures are of all of them.
 */
import { ImportJobView, ImportStatus, idNumberCheckCharacter } from '@cg/contracts';
import {
  BenchSystem,
  RUN,
  HttpError,
  RssSampler,
  machineLine,
  mb,
  ms,
  positiveEnv,
  progress,
  ratio,
  retrying,
  runBench,
  seedCommunity,
  table,
} from './support';

const ROWS = positiveEnv('EXPORT_ROWS', 2000);
const BUILDINGS = positiveEnv('EXPORT_BUILDINGS', 20);
const FLOORS = positiveEnv('EXPORT_FLOORS', 5);
/** Rows per import file: shorter jobs keep the services (in this process) answering the status polls. */
const FILE_ROWS = 5000;

function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `310104${birth}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** The residents import, polled until it ends; a poll the busy gateway gave up on (503/504) is repeated. */
async function importResidents(system: BenchSystem, communityId: string, csv: string): Promise<void> {
  const path = `/api/v1/communities/${communityId}/residents/imports`;
  const response = await fetch(`${system.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${system.admin.token}` },
    body: csv,
  });
  const text = await response.text();
  if (response.status !== 202) throw new HttpError(response.status, text, 'the import');
  const id = (JSON.parse(text) as ImportJobView).id;
  const retries = { count: 0 };
  for (;;) {
    const job = await retrying(() => system.admin.get<ImportJobView>(`${path}/${id}`), retries, 20);
    if (job.status === ImportStatus.Completed) return;
    if (job.status === ImportStatus.Rejected || job.status === ImportStatus.Failed)
      throw new Error(`the import ended ${job.status}: ${job.message}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface Run {
  name: string;
  rows: number;
  bytes: number;
  firstByteMs: number;
  totalMs: number;
  peakRss: number;
}

/** Reads a streamed reply to its end, noting when the first bytes came; CSV rows are counted by line. */
async function download(system: BenchSystem, path: string, countLines: boolean): Promise<Omit<Run, 'name' | 'peakRss'>> {
  const started = performance.now();
  const response = await fetch(`${system.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${system.admin.token}`, 'accept-language': 'zh-CN' },
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  let firstByteMs = NaN;
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (bytes === 0) firstByteMs = performance.now() - started;
    bytes += chunk.length;
    if (countLines) for (const byte of chunk) if (byte === 10) lines += 1;
  }
  return { rows: countLines ? lines - 1 : ROWS, bytes, firstByteMs, totalMs: performance.now() - started };
}

async function jsonPages(system: BenchSystem, communityId: string): Promise<Omit<Run, 'name' | 'peakRss'>> {
  const started = performance.now();
  let firstByteMs = NaN;
  let rows = 0;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const response = await fetch(
      `${system.baseUrl}/api/v1/communities/${communityId}/residents?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { authorization: `Bearer ${system.admin.token}` } },
    );
    const text = await response.text();
    if (!response.ok) throw new Error(`the residents list answered ${response.status}: ${text}`);
    if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
    bytes += text.length;
    const page = JSON.parse(text) as { items: unknown[]; nextCursor?: string };
    rows += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return { rows, bytes, firstByteMs, totalMs: performance.now() - started };
}

runBench('exports: a whole community of residents as CSV and Excel', ['membership', 'grid'], async (system) => {
  console.log(machineLine(`${ROWS} residents over ${BUILDINGS} buildings of ${FLOORS} floors x 4 units`));
  let done = progress('building the community');
  const community = await seedCommunity(system.admin, {
    code: `EXP${RUN}`,
    buildings: BUILDINGS,
    grids: Math.min(BUILDINGS, 15),
    floors: FLOORS,
    unitsPerFloor: 4,
    listUnits: false,
  });
  done();
  done = progress(`importing ${ROWS} residents`);
  const header = 'building,unit,name,phone,id_number,relation,area,area_source,voter';
  const rows: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const unit = community.units[i % community.units.length];
    const owner = i < community.units.length;
    rows.push(
      [
        unit.buildingCode,
        unit.code,
        `居民 ${i}`,
        `139${String(i).padStart(8, '0')}`,
        idNumber(i),
        owner ? 'owner' : 'family_member',
        owner ? `${60 + (i % 80)}.50` : '',
        owner ? 'register' : '',
        owner ? 'yes' : '',
      ].join(','),
    );
  }
  for (let i = 0; i < rows.length; i += FILE_ROWS)
    await importResidents(system, community.communityId, `${[header, ...rows.slice(i, i + FILE_ROWS)].join('\n')}\n`);
  done();

  const exportPath = (format: string) => `/api/v1/communities/${community.communityId}/exports/residents?format=${format}`;
  const measure = async (name: string, work: () => Promise<Omit<Run, 'name' | 'peakRss'>>): Promise<Run> => {
    global.gc?.();
    const rss = new RssSampler(50);
    const step = progress(name);
    const result = await work();
    rss.stop();
    step();
    return { name, ...result, peakRss: rss.peak };
  };
  // A first pass of each warms the code paths and the database's caches.
  await jsonPages(system, community.communityId);
  const runs = [
    await measure('JSON pages of the residents list (baseline)', () => jsonPages(system, community.communityId)),
    await measure('export as CSV', () => download(system, exportPath('csv'), true)),
    await measure('export as XLSX', () => download(system, exportPath('xlsx'), false)),
  ];
  const base = runs[0];
  console.log(`\n## ${ROWS} residents, pages of 200\n`);
  console.log(
    table(
      ['read', 'rows', 'size', 'first byte ms', 'total ms', 'rows/s', 'peak RSS', 'rows/s vs JSON', 'first byte vs JSON'],
      runs.map((r) => [
        r.name,
        String(r.rows),
        mb(r.bytes),
        ms(r.firstByteMs),
        ms(r.totalMs),
        (r.rows / (r.totalMs / 1000)).toFixed(0),
        mb(r.peakRss),
        ratio(r.rows / r.totalMs / (base.rows / base.totalMs)),
        ratio(r.firstByteMs / base.firstByteMs),
      ]),
    ),
  );
  const csv = runs[1];
  if (csv.rows !== base.rows) {
    console.log(`FAILED: the CSV holds ${csv.rows} rows, the list ${base.rows}`);
    process.exitCode = 1;
  }
});
