import { AgendaItemSource, CaseCategory, JointBody } from '@cg/contracts';

/** A case of the month, as far as the agenda needs it. */
export interface MonthCase {
  id: string;
  category: CaseCategory;
  buildingId: string;
  reportedAt: Date;
}

/** An item a department (grid meeting) or a body (joint meeting) submitted before the meeting. */
export interface Submission {
  id: string;
  department?: string;
  body?: JointBody;
  title: string;
  description: string;
  submittedAt: Date;
}

export interface AgendaOptions {
  /** Top complaint categories kept; categories tied with the last one kept are kept too. */
  topCategories: number;
  /** Hotspot buildings kept, cut strictly. */
  hotspots: number;
}

export interface RankedCategory {
  category: CaseCategory;
  count: number;
  exampleCaseIds: string[];
}

export interface RankedHotspot {
  buildingId: string;
  buildingLabel: string;
  count: number;
  exampleCaseIds: string[];
}

export interface AgendaItem {
  number: number;
  source: AgendaItemSource;
  title: string;
  description?: string;
  category?: CaseCategory;
  buildingId?: string;
  department?: string;
  body?: JointBody;
  submissionId?: string;
  count?: number;
  caseIds: string[];
}

export interface Agenda {
  totalCases: number;
  topCategories: RankedCategory[];
  hotspots: RankedHotspot[];
  items: AgendaItem[];
}

export const DEFAULT_AGENDA_OPTIONS: AgendaOptions = { topCategories: 3, hotspots: 3 };
export const EXAMPLES_PER_ENTRY = 3;
/** One case does not make a building a hotspot. */
export const HOTSPOT_MIN_CASES = 2;
/** Months are China local months. */
export const LOCAL_OFFSET_MINUTES = 8 * 60;

export const CATEGORY_LABELS: Record<CaseCategory, string> = {
  [CaseCategory.GroupRental]: 'Group rentals',
  [CaseCategory.HomeAsBusiness]: 'Homes used as shops or offices',
  [CaseCategory.IllegalConstruction]: 'Illegal construction',
  [CaseCategory.Noise]: 'Noise',
  [CaseCategory.Sanitation]: 'Sanitation and garbage sorting',
  [CaseCategory.PropertyMaintenance]: 'Property maintenance',
  [CaseCategory.SafetyHazard]: 'Safety hazards',
  [CaseCategory.NeighbourDispute]: 'Neighbour disputes',
  [CaseCategory.Other]: 'Other complaints',
};

const CATEGORY_ORDER = Object.values(CaseCategory);
const BODY_ORDER = Object.values(JointBody);

/** The instants a local month `YYYY-MM` starts and ends (exclusive). */
export function monthPeriod(month: string): { from: Date; to: Date } {
  const [year, m] = month.split('-').map(Number);
  const offset = LOCAL_OFFSET_MINUTES * 60_000;
  return {
    from: new Date(Date.UTC(year, m - 1, 1) - offset),
    to: new Date(Date.UTC(year, m, 1) - offset),
  };
}

const latestFirst = (a: MonthCase, b: MonthCase) =>
  b.reportedAt.getTime() - a.reportedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function groupBy<K>(cases: readonly MonthCase[], key: (c: MonthCase) => K): Map<K, MonthCase[]> {
  const groups = new Map<K, MonthCase[]>();
  for (const c of cases) {
    const list = groups.get(key(c));
    if (list) list.push(c);
    else groups.set(key(c), [c]);
  }
  for (const list of groups.values()) list.sort(latestFirst);
  return groups;
}

/** Most cases first; equal counts in the category list's order; the cut keeps every category tied with the last one. */
export function rankCategories(cases: readonly MonthCase[], top: number): RankedCategory[] {
  const ranked = [...groupBy(cases, (c) => c.category)]
    .map(([category, list]) => ({
      category,
      count: list.length,
      exampleCaseIds: list.slice(0, EXAMPLES_PER_ENTRY).map((c) => c.id),
    }))
    .sort(
      (a, b) => b.count - a.count || CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category),
    );
  if (ranked.length <= top) return ranked;
  const floor = ranked[top - 1].count;
  return ranked.filter((entry, index) => index < top || entry.count === floor);
}

/** Buildings with at least two cases, most first; equal counts by the latest case, then by id; cut strictly. */
export function rankHotspots(
  cases: readonly MonthCase[],
  top: number,
  labels: ReadonlyMap<string, string>,
): RankedHotspot[] {
  return [...groupBy(cases, (c) => c.buildingId)]
    .filter(([, list]) => list.length >= HOTSPOT_MIN_CASES)
    .sort(
      ([idA, a], [idB, b]) =>
        b.length - a.length ||
        b[0].reportedAt.getTime() - a[0].reportedAt.getTime() ||
        (idA < idB ? -1 : idA > idB ? 1 : 0),
    )
    .slice(0, top)
    .map(([buildingId, list]) => ({
      buildingId,
      buildingLabel: labels.get(buildingId) ?? buildingId,
      count: list.length,
      exampleCaseIds: list.slice(0, EXAMPLES_PER_ENTRY).map((c) => c.id),
    }));
}

/** In the order they were submitted; same instant by id, so the order never depends on how they were read. */
function bySubmission(a: Submission, b: Submission): number {
  return a.submittedAt.getTime() - b.submittedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const plural = (n: number) => `${n} case${n === 1 ? '' : 's'}`;

function submissionItem(s: Submission, source: AgendaItemSource): Omit<AgendaItem, 'number'> {
  return {
    source,
    title: s.title,
    description: s.description,
    ...(s.department !== undefined && { department: s.department }),
    ...(s.body !== undefined && { body: s.body }),
    submissionId: s.id,
    caseIds: [],
  };
}

const numbered = (items: Omit<AgendaItem, 'number'>[]): AgendaItem[] =>
  items.map((item, index) => ({ number: index + 1, ...item }));

/**
 * The monthly grid meeting's agenda: the month's top complaint categories, then its hotspot buildings,
 * then the departments' items in the order they were submitted.
 */
export function buildGridAgenda(
  cases: readonly MonthCase[],
  submissions: readonly Submission[],
  options: AgendaOptions,
  buildingLabels: ReadonlyMap<string, string> = new Map(),
): Agenda {
  const topCategories = rankCategories(cases, options.topCategories);
  const hotspots = rankHotspots(cases, options.hotspots, buildingLabels);
  const items = numbered([
    ...topCategories.map((c) => ({
      source: AgendaItemSource.Complaints,
      title: `${CATEGORY_LABELS[c.category]}: ${plural(c.count)} this month`,
      category: c.category,
      count: c.count,
      caseIds: c.exampleCaseIds,
    })),
    ...hotspots.map((h) => ({
      source: AgendaItemSource.Hotspot,
      title: `Hotspot building ${h.buildingLabel}: ${plural(h.count)} this month`,
      buildingId: h.buildingId,
      count: h.count,
      caseIds: h.exampleCaseIds,
    })),
    ...[...submissions].sort(bySubmission).map((s) => submissionItem(s, AgendaItemSource.Department)),
  ]);
  return { totalCases: cases.length, topCategories, hotspots, items };
}

/** The joint meeting's agenda: the residents' committee's items, then the owners' committee's, then the property company's. */
export function buildJointAgenda(submissions: readonly Submission[]): Agenda {
  const rank = (s: Submission) => (s.body === undefined ? BODY_ORDER.length : BODY_ORDER.indexOf(s.body));
  const ordered = [...submissions].sort((a, b) => rank(a) - rank(b) || bySubmission(a, b));
  return {
    totalCases: 0,
    topCategories: [],
    hotspots: [],
    items: numbered(ordered.map((s) => submissionItem(s, AgendaItemSource.Body))),
  };
}
