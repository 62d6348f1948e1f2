import {
  AgendaLabelsDto,
  CATEGORY_CODE,
  CaseCategory,
  CaseCategorySettingDto,
  CaseLocationKind,
  CaseRouting,
  EvaluationWeightsDto,
  FieldError,
  PROPERTY_DEPARTMENT,
  SettingsChangeView,
  SettingsLanguage,
} from '@cg/contracts';

/** What a community decides for itself: its case categories, evaluation weights and agenda wording. */
export interface CommunitySettingsContent {
  categories: CaseCategorySettingDto[];
  evaluationWeights: EvaluationWeightsDto;
  agendaLabels: AgendaLabelsDto;
}

const grid = (
  code: CaseCategory,
  zh: string,
  en: string,
  slaWorkingDays: number,
): CaseCategorySettingDto => ({
  code,
  names: { zh, en },
  slaWorkingDays,
  routing: CaseRouting.Grid,
  active: true,
});

/** The settings of a community that has changed none: the categories, deadlines and wording every community started with. */
export const DEFAULT_SETTINGS: CommunitySettingsContent = {
  categories: [
    grid(CaseCategory.GroupRental, '群租', 'Group rentals', 5),
    grid(CaseCategory.HomeAsBusiness, '居改非', 'Homes used as shops or offices', 10),
    grid(CaseCategory.IllegalConstruction, '违章搭建', 'Illegal construction', 10),
    grid(CaseCategory.Noise, '噪声扰民', 'Noise', 2),
    // Sanitation outside a home is the property company's work; inside a home the grid's.
    {
      ...grid(CaseCategory.Sanitation, '环境卫生与垃圾分类', 'Sanitation and garbage sorting', 2),
      routing: CaseRouting.Department,
      department: PROPERTY_DEPARTMENT,
      homesToGrid: true,
    },
    {
      ...grid(CaseCategory.PropertyMaintenance, '物业维修', 'Property maintenance', 3),
      routing: CaseRouting.Department,
      department: PROPERTY_DEPARTMENT,
    },
    grid(CaseCategory.SafetyHazard, '安全隐患', 'Safety hazards', 1),
    grid(CaseCategory.NeighbourDispute, '邻里纠纷', 'Neighbour disputes', 5),
    grid(CaseCategory.Other, '其他诉求', 'Other complaints', 5),
  ],
  evaluationWeights: { satisfaction: 50, timeliness: 30, ratings: 20 },
  agendaLabels: {
    complaints: { zh: '{category}：本月{cases}', en: '{category}: {cases} this month' },
    hotspot: { zh: '热点楼栋{building}：本月{cases}', en: 'Hotspot building {building}: {cases} this month' },
  },
};

/** Working days of a category no longer in the settings (only unused ones can be removed). */
export const FALLBACK_SLA_WORKING_DAYS = 5;

const PLACEHOLDER = /\{([a-z]+)\}/g;
const LABEL_PLACEHOLDERS: Record<keyof AgendaLabelsDto, { required: string[]; allowed: string[] }> = {
  complaints: { required: ['category'], allowed: ['category', 'count', 'cases'] },
  hotspot: { required: ['building'], allowed: ['building', 'count', 'cases'] },
};

/**
 * What is wrong with settings as sent: duplicate codes, no active category, routing without a department, weights
 * not summing to 100, unknown placeholders, and categories removed although cases were filed under them.
 */
export function settingsProblems(
  next: CommunitySettingsContent,
  current: CommunitySettingsContent,
  codesInUse: ReadonlySet<string>,
): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  next.categories.forEach((category, i) => {
    const field = `categories[${i}]`;
    if (!CATEGORY_CODE.test(category.code)) {
      problems.push({ field: `${field}.code`, reason: `${category.code} is not a category code` });
    }
    if (seen.has(category.code))
      problems.push({ field: `${field}.code`, reason: `${category.code} appears twice` });
    seen.add(category.code);
    if (
      !Number.isInteger(category.slaWorkingDays) ||
      category.slaWorkingDays < 1 ||
      category.slaWorkingDays > 30
    ) {
      problems.push({ field: `${field}.slaWorkingDays`, reason: 'must be 1 to 30 working days' });
    }
    if (category.routing === CaseRouting.Department && !category.department) {
      problems.push({ field: `${field}.department`, reason: 'routing to a department names the department' });
    }
    if (category.routing === CaseRouting.Grid && (category.department || category.homesToGrid)) {
      problems.push({ field: `${field}.department`, reason: 'only routing to a department names one' });
    }
  });
  if (!next.categories.some((c) => c.active)) {
    problems.push({ field: 'categories', reason: 'at least one category must be active' });
  }
  for (const removed of current.categories.filter((c) => !seen.has(c.code))) {
    if (codesInUse.has(removed.code)) {
      problems.push({
        field: 'categories',
        reason: `${removed.code} has cases filed under it: deactivate it instead of removing it`,
      });
    }
  }
  const weights = next.evaluationWeights;
  const sum = weights.satisfaction + weights.timeliness + weights.ratings;
  if (sum !== 100)
    problems.push({ field: 'evaluationWeights', reason: `the weights sum to ${sum}, not 100` });
  for (const key of Object.keys(LABEL_PLACEHOLDERS) as (keyof AgendaLabelsDto)[]) {
    const { required, allowed } = LABEL_PLACEHOLDERS[key];
    for (const language of Object.values(SettingsLanguage)) {
      const template = next.agendaLabels[key][language];
      const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
      const field = `agendaLabels.${key}.${language}`;
      for (const name of used.filter((n) => !allowed.includes(n))) {
        problems.push({ field, reason: `{${name}} is not a placeholder of this label` });
      }
      for (const name of required.filter((n) => !used.includes(n))) {
        problems.push({ field, reason: `must contain {${name}}` });
      }
    }
  }
  return problems;
}

/** The categories the `before` settings had and the `after` ones lack. */
export function removedCodes(before: CommunitySettingsContent, after: CommunitySettingsContent): string[] {
  const kept = new Set(after.categories.map((c) => c.code));
  return before.categories.map((c) => c.code).filter((code) => !kept.has(code));
}

const json = (value: unknown) => JSON.stringify(value);

function fieldChanges(path: string, before: object, after: object): SettingsChangeView[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((key) => {
    const from = (before as Record<string, unknown>)[key];
    const to = (after as Record<string, unknown>)[key];
    if (json(from) === json(to)) return [];
    return [
      {
        field: `${path}.${key}`,
        ...(from !== undefined && { from: json(from) }),
        ...(to !== undefined && { to: json(to) }),
      },
    ];
  });
}

/** What a change does, field by field: categories added, removed or changed, weights and labels changed. */
export function settingsChanges(
  before: CommunitySettingsContent,
  after: CommunitySettingsContent,
): SettingsChangeView[] {
  const old = new Map(before.categories.map((c) => [c.code, c]));
  const changes: SettingsChangeView[] = [];
  for (const category of after.categories) {
    const was = old.get(category.code);
    if (!was) changes.push({ field: `categories.${category.code}`, to: json(category) });
    else changes.push(...fieldChanges(`categories.${category.code}`, was, category));
  }
  for (const code of removedCodes(before, after)) {
    changes.push({ field: `categories.${code}`, from: json(old.get(code)) });
  }
  const order = (s: CommunitySettingsContent) => s.categories.map((c) => c.code);
  const kept = new Set(after.categories.map((c) => c.code));
  const beforeOrder = order(before).filter((code) => kept.has(code));
  const afterOrder = order(after).filter((code) => old.has(code));
  if (json(beforeOrder) !== json(afterOrder)) {
    changes.push({ field: 'categories.order', from: json(order(before)), to: json(order(after)) });
  }
  changes.push(...fieldChanges('evaluationWeights', before.evaluationWeights, after.evaluationWeights));
  for (const key of Object.keys(LABEL_PLACEHOLDERS) as (keyof AgendaLabelsDto)[]) {
    changes.push(...fieldChanges(`agendaLabels.${key}`, before.agendaLabels[key], after.agendaLabels[key]));
  }
  return changes;
}

/** Settings as stored: fields in a fixed order, optional ones only where they mean something. */
export function normalised(content: CommunitySettingsContent): CommunitySettingsContent {
  return {
    categories: content.categories.map((c) => ({
      code: c.code,
      names: { zh: c.names.zh, en: c.names.en },
      slaWorkingDays: c.slaWorkingDays,
      routing: c.routing,
      ...(c.routing === CaseRouting.Department && c.department && { department: c.department }),
      ...(c.routing === CaseRouting.Department && c.homesToGrid && { homesToGrid: true }),
      active: c.active,
    })),
    evaluationWeights: {
      satisfaction: content.evaluationWeights.satisfaction,
      timeliness: content.evaluationWeights.timeliness,
      ratings: content.evaluationWeights.ratings,
    },
    agendaLabels: {
      complaints: { zh: content.agendaLabels.complaints.zh, en: content.agendaLabels.complaints.en },
      hotspot: { zh: content.agendaLabels.hotspot.zh, en: content.agendaLabels.hotspot.en },
    },
  };
}

/** The department a new case goes to, or undefined when the grid alone handles it. */
export function routedDepartment(
  category: CaseCategorySettingDto,
  location: CaseLocationKind,
): string | undefined {
  if (category.routing !== CaseRouting.Department) return undefined;
  if (category.homesToGrid && location === CaseLocationKind.Unit) return undefined;
  return category.department;
}

/** "3 cases" in English, "3件" in Chinese. */
function casesText(count: number, language: SettingsLanguage): string {
  if (language === SettingsLanguage.Chinese) return `${count}件`;
  return `${count} case${count === 1 ? '' : 's'}`;
}

/** Fills an agenda label's placeholders; an unknown one is left as written. */
export function renderLabel(
  template: string,
  values: { category?: string; building?: string; count: number },
  language: SettingsLanguage,
): string {
  const filled: Record<string, string | undefined> = {
    category: values.category,
    building: values.building,
    count: String(values.count),
    cases: casesText(values.count, language),
  };
  return template.replace(PLACEHOLDER, (whole, name: string) => filled[name] ?? whole);
}
