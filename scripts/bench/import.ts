/**
 * Residents and owners imported from a spreadsheet export, then searched: rows/s and the peak memory of the process
 * that runs the services during the import, and p50/p99 of resident search by name prefix and by building, against
 * a point read of one resident in the same run.
 *
 *   npm run build && node dist/scripts/bench/import.js
 *   IMPORT_ROWS=40000 IMPORT_BUILDINGS=286 IMPORT_FLOORS=11 node dist/scripts/bench/import.js   (reference size)
 */
import { IMPORT_MAX_ROWS, ImportReportView, idNumberCheckCharacter } from '@cg/contracts';
import {
  BenchSystem,
  LoadRow,
  RUN,
  RssSampler,
  httpLoad,
  importFile,
  loadTable,
  machineLine,
  ms,
  positiveEnv,
  progress,
  retrying,
  runBench,
  seedCommunity,
} from './support';

const ROWS = positiveEnv('IMPORT_ROWS', 2000);
const BUILDINGS = positiveEnv('IMPORT_BUILDINGS', 20);
const FLOORS = positiveEnv('IMPORT_FLOORS', 5);
const SECONDS = positiveEnv('BENCH_SECONDS', 10);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun'];
const GIVEN = ['Wei', 'Fang', 'Min', 'Jing', 'Lei', 'Jun', 'Yan', 'Hui', 'Ping', 'Tao', 'Lan', 'Ming'];

/** A valid ID number (GB 11643-1999), unique per row: a thousand per birth date from 1950-01-01 on. */
function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `310104${birth}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

runBench('Residents import and search', ['membership', 'grid'], async (system: BenchSystem) => {
  console.log(machineLine(`${ROWS} rows over ${BUILDINGS} buildings of ${FLOORS} floors x 4 units`));
  const done = progress('building the community');
  const community = await seedCommunity(system.admin, {
    code: `IMP${RUN}`,
    buildings: BUILDINGS,
    grids: Math.min(BUILDINGS, 15),
    floors: FLOORS,
    unitsPerFloor: 4,
    listUnits: false,
  });
  done();
  const units = community.units;
  const header = 'building,unit,name,phone,id_number,relation,area,area_source,voter';
  const rowsOf: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const unit = units[i % units.length];
    const owner = i < units.length;
    const name = `${SURNAMES[i % SURNAMES.length]} ${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
    const area = owner ? `${60 + (i % 80)}.${String(i % 100).padStart(2, '0')}` : '';
    rowsOf.push(
      [
        unit.buildingCode,
        unit.code,
        name,
        `139${String(i).padStart(8, '0')}`,
        idNumber(i),
        owner ? 'owner' : 'family_member',
        area,
        owner ? 'register' : '',
        owner ? 'yes' : '',
      ].join(','),
    );
  }
  // One file holds at most IMPORT_MAX_ROWS rows (a whole reference estate fits): a larger community comes as several.
  const files: string[] = [];
  for (let i = 0; i < rowsOf.length; i += IMPORT_MAX_ROWS)
    files.push(`${[header, ...rowsOf.slice(i, i + IMPORT_MAX_ROWS)].join('\n')}\n`);
  const base = `/api/v1/communities/${community.communityId}`;

  const rss = new RssSampler();
  const started = performance.now();
  const reports: string[] = [];
  for (const csv of files) reports.push(JSON.stringify(await importFile(system.admin, community.communityId, csv)));
  const importMs = performance.now() - started;
  const kib = Math.round(files.reduce((sum, csv) => sum + csv.length, 0) / 1024);
  const memory = rss.stop();
  console.log(
    `\n## Import\n\n${ROWS} rows (${kib} KiB, ${files.length} file(s)) in ${ms(importMs)} ms: ${Math.round(ROWS / (importMs / 1000))} rows/s`,
  );
  for (const report of reports) console.log(`report: ${report.slice(0, 300)}`);
  console.log(memory);
  const created = reports.reduce((sum, r) => sum + (JSON.parse(r) as ImportReportView).residentsCreated, 0);
  if (created !== ROWS) {
    console.log(`FAILED: the import stored ${created} residents, expected ${ROWS}`);
    process.exitCode = 1;
  }
  // The same file again changes nothing: every row is already on record.
  const again = performance.now();
  const repeated: ImportReportView[] = [];
  for (const csv of files) repeated.push(await importFile(system.admin, community.communityId, csv));
  const repeatMs = performance.now() - again;
  const recreated = repeated.reduce((sum, r) => sum + r.residentsCreated + r.ownershipsRecorded, 0);
  console.log(`the same file(s) again: ${ms(repeatMs)} ms, ${recreated} residents or ownerships changed (expected 0)`);
  if (recreated !== 0) process.exitCode = 1;

  // The other services follow the 40,000 registrations from events; searching while they write measures the
  // write load, so wait until grid's read model counts every resident.
  const settled = progress('waiting until grid has followed every registration');
  const settleStarted = performance.now();
  for (;;) {
    const hierarchy = await system.admin.get(`${base}/hierarchy`).catch(() => undefined);
    const counted = hierarchy?.areas
      .flatMap((a: { grids: { buildings: { residentCount: number }[] }[] }) => a.grids)
      .flatMap((g: { buildings: { residentCount: number }[] }) => g.buildings)
      .reduce((sum: number, b: { residentCount: number }) => sum + b.residentCount, 0);
    if (counted >= ROWS) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  settled();
  console.log(`events followed by grid ${ms(performance.now() - started)} ms after the submit (${ms(performance.now() - settleStarted)} ms after the import completed)`);
  const people = await retrying(() => system.admin.get(`${base}/residents?limit=50`), { count: 0 });
  const personId: string = people.items[0].id;
  const token = system.admin.token;
  const rows: LoadRow[] = [];
  const load = { seconds: SECONDS, connections: CONNECTIONS, warmupSeconds: 1 };
  rows.push({
    name: '(a) one resident by id',
    outcome: await httpLoad(
      system.baseUrl,
      [{ method: 'GET', path: `${base}/residents/${personId}`, token }],
      load,
    ),
  });
  rows.push({
    name: '(b) search by name prefix',
    outcome: await httpLoad(
      system.baseUrl,
      SURNAMES.map((s) => ({
        method: 'GET',
        path: `${base}/residents?namePrefix=${encodeURIComponent(s)}&limit=20`,
        token,
      })),
      load,
    ),
  });
  rows.push({
    name: '(c) residents of a building',
    outcome: await httpLoad(
      system.baseUrl,
      community.buildingIds
        .slice(0, 20)
        .map((id) => ({ method: 'GET', path: `${base}/residents?buildingId=${id}&limit=50`, token })),
      load,
    ),
  });
  console.log(
    `\n## Search (${CONNECTIONS} connections, ${SECONDS} s each)\n\n${loadTable(rows, 0, 'vs (a)')}`,
  );
});
