import { AgendaItemSource, JointBody, SettingsLanguage } from '@cg/contracts';
import { CommunitySettingsContent, DEFAULT_SETTINGS, renderLabel } from '../settings/settings-rules';

/** A case of the month, as far as the agenda needs it. */
export interface MonthCase {
  id: string;
  category: string;
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
  category: string;
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
  category?: string;
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

/** How a community words its agenda in one language: its category names and order, and the item titles. */
export interface AgendaWording {
  language: SettingsLanguage;
  categoryOrder: readonly string[];
  categoryNames: ReadonlyMap<string, string>;
  complaints: string;
  hotspot: string;
}

export function agendaWording(settings: CommunitySettingsContent, language: SettingsLanguage): AgendaWording {
  return {
    language,
    categoryOrder: settings.categories.map((c) => c.code),
    categoryNames: new Map(settings.categories.map((c) => [c.code, c.names[language]])),
    complaints: settings.agendaLabels.complaints[language],
    hotspot: settings.agendaLabels.hotspot[language],
  };
}

export const DEFAULT_WORDING = agendaWording(DEFAULT_SETTINGS, SettingsLanguage.English);

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
export function rankCategories(
  cases: readonly MonthCase[],
  top: number,
  order: readonly string[] = DEFAULT_WORDING.categoryOrder,
): RankedCategory[] {
  // A category no longer in the settings ranks after those that are.
  const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
  const ranked = [...groupBy(cases, (c) => c.category)]
    .map(([category, list]) => ({
      category,
      count: list.length,
      exampleCaseIds: list.slice(0, EXAMPLES_PER_ENTRY).map((c) => c.id),
    }))
    .sort(
      (a, b) =>
        b.count - a.count || rank(a.category) - rank(b.category) || (a.category < b.category ? -1 : 1),
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
  wording: AgendaWording = DEFAULT_WORDING,
): Agenda {
  const topCategories = rankCategories(cases, options.topCategories, wording.categoryOrder);
  const hotspots = rankHotspots(cases, options.hotspots, buildingLabels);
  const items = numbered([
    ...topCategories.map((c) => ({
      source: AgendaItemSource.Complaints,
      title: renderLabel(
        wording.complaints,
        { category: wording.categoryNames.get(c.category) ?? c.category, count: c.count },
        wording.language,
      ),
      category: c.category,
      count: c.count,
      caseIds: c.exampleCaseIds,
    })),
    ...hotspots.map((h) => ({
      source: AgendaItemSource.Hotspot,
      title: renderLabel(wording.hotspot, { building: h.buildingLabel, count: h.count }, wording.language),
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
