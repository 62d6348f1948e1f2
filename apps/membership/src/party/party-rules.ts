import {
  DomainException,
  DualRegistrationStatus,
  ErrorCode,
  GroupCoverage,
  PartyMemberStatus,
  RegistrationCoverageView,
  ServiceReportView,
} from '@cg/contracts';

/** Reports follow the calendar of the community, China Standard Time (UTC+8, no daylight saving). */
const CST_OFFSET_MS = 8 * 3600 * 1000;

export interface Period {
  from: string;
  to: string;
}

/** Today's date in China Standard Time, as YYYY-MM-DD. */
export function localDate(now: Date): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The calendar quarter containing a date: 2025-05-10 -> 2025-04-01 .. 2025-06-30. */
export function quarterOf(date: string): Period {
  const [year, month] = date.split('-').map(Number);
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  const last = first + 2;
  const lastDay = new Date(Date.UTC(year, last, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay)}` };
}

/** The requested period, or the current quarter; both ends or neither, first day not after the last. */
export function reportPeriod(query: { from?: string; to?: string }, now: Date): Period {
  if (!query.from && !query.to) return quarterOf(localDate(now));
  if (!query.from || !query.to || query.from > query.to) {
    throw new DomainException(
      ErrorCode.VALIDATION_FAILED,
      'Give both ends of the period, the first not after the last',
      [{ field: 'from', reason: 'from and to go together, from <= to' }],
    );
  }
  return { from: query.from, to: query.to };
}

/** [start, end) instants of a period of local calendar days. */
export function periodBounds(period: Period): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${period.from}T00:00:00Z`) - CST_OFFSET_MS);
  const end = new Date(Date.parse(`${period.to}T00:00:00Z`) - CST_OFFSET_MS + 24 * 3600 * 1000);
  return { start, end };
}

function csvField(value: string): string {
  // A leading =, +, - or @ would be run as a formula by spreadsheet software.
  const safe = /^[=+\-@]/.test(value) && !/^-?[0-9.]+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report for the workplace organisation as CSV: a header block, then one line per service. */
export function renderReportCsv(report: ServiceReportView): string {
  const rows: string[][] = [
    ['member', report.member.name],
    ['workplace organisation', report.member.workplaceOrganisation],
    ['period', `${report.from} to ${report.to}`],
    ['services', String(report.serviceCount)],
    ['total hours', report.totalHours],
    [],
    ['date', 'kind', 'post', 'description', 'hours'],
    ...report.services.map((s) => [
      localDate(new Date(s.occurredAt)),
      s.kind,
      s.post ?? '',
      s.description,
      s.hours,
    ]),
  ];
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export interface CoverageRow {
  buildingId: string;
  gridId: string;
  status: PartyMemberStatus;
  registration: DualRegistrationStatus;
}

function tally(rows: CoverageRow[], key: (row: CoverageRow) => string): GroupCoverage[] {
  const groups = new Map<string, GroupCoverage>();
  for (const row of rows) {
    const id = key(row);
    const group = groups.get(id) ?? { id, members: 0, registered: 0 };
    group.members += 1;
    if (row.registration === DualRegistrationStatus.Approved) group.registered += 1;
    groups.set(id, group);
  }
  return [...groups.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** How many members each building party group and each grid has, and how many are registered with the community. */
export function registrationCoverage(rows: CoverageRow[]): RegistrationCoverageView {
  return {
    members: rows.length,
    registered: rows.filter((r) => r.registration === DualRegistrationStatus.Approved).length,
    buildingPartyGroups: tally(rows, (r) => r.buildingId),
    grids: tally(rows, (r) => r.gridId),
  };
}
