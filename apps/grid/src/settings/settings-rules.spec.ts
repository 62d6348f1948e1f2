import {
  CaseCategory,
  CaseLocationKind,
  CaseRouting,
  PROPERTY_DEPARTMENT,
  SettingsLanguage,
} from '@cg/contracts';
import {
  CommunitySettingsContent,
  DEFAULT_SETTINGS,
  normalised,
  removedCodes,
  renderLabel,
  routedDepartment,
  settingsChanges,
  settingsProblems,
} from './settings-rules';

const withBulkyWaste = (): CommunitySettingsContent => ({
  ...DEFAULT_SETTINGS,
  categories: [
    ...DEFAULT_SETTINGS.categories,
    {
      code: 'bulky_waste',
      names: { zh: '大件垃圾', en: 'Bulky waste' },
      slaWorkingDays: 7,
      routing: CaseRouting.Grid,
      active: true,
    },
  ],
});

describe('community settings rules', () => {
  it('accept the defaults and a new category', () => {
    expect(settingsProblems(DEFAULT_SETTINGS, DEFAULT_SETTINGS, new Set())).toEqual([]);
    expect(settingsProblems(withBulkyWaste(), DEFAULT_SETTINGS, new Set())).toEqual([]);
  });

  it('keep the nine codes of the fixed categories as the defaults, with their deadlines', () => {
    expect(DEFAULT_SETTINGS.categories.map((c) => c.code)).toEqual(Object.values(CaseCategory));
    expect(
      DEFAULT_SETTINGS.categories.find((c) => c.code === CaseCategory.SafetyHazard)?.slaWorkingDays,
    ).toBe(1);
    expect(
      DEFAULT_SETTINGS.categories.find((c) => c.code === CaseCategory.HomeAsBusiness)?.slaWorkingDays,
    ).toBe(10);
  });

  it('refuse duplicate and malformed codes, no active category and weights not summing to 100', () => {
    const bad: CommunitySettingsContent = {
      ...DEFAULT_SETTINGS,
      categories: [
        { ...DEFAULT_SETTINGS.categories[0], active: false },
        { ...DEFAULT_SETTINGS.categories[0], active: false },
        { ...DEFAULT_SETTINGS.categories[1], code: 'Bad-Code', active: false },
      ],
      evaluationWeights: { satisfaction: 50, timeliness: 30, ratings: 30 },
    };
    expect(settingsProblems(bad, bad, new Set())).toEqual([
      { field: 'categories[1].code', reason: 'group_rental appears twice' },
      { field: 'categories[2].code', reason: 'Bad-Code is not a category code' },
      { field: 'categories', reason: 'at least one category must be active' },
      { field: 'evaluationWeights', reason: 'the weights sum to 110, not 100' },
    ]);
  });

  it('refuse working days outside 1 to 30 and a department routing without a department', () => {
    const bad: CommunitySettingsContent = {
      ...DEFAULT_SETTINGS,
      categories: [{ ...DEFAULT_SETTINGS.categories[0], slaWorkingDays: 0, routing: CaseRouting.Department }],
    };
    expect(settingsProblems(bad, bad, new Set())).toEqual([
      { field: 'categories[0].slaWorkingDays', reason: 'must be 1 to 30 working days' },
      { field: 'categories[0].department', reason: 'routing to a department names the department' },
    ]);
  });

  it('let a category with cases be deactivated but not removed', () => {
    const deactivated = withBulkyWaste();
    deactivated.categories = deactivated.categories.map((c) =>
      c.code === 'bulky_waste' ? { ...c, active: false } : c,
    );
    const inUse = new Set(['bulky_waste']);
    expect(settingsProblems(deactivated, withBulkyWaste(), inUse)).toEqual([]);
    expect(removedCodes(withBulkyWaste(), DEFAULT_SETTINGS)).toEqual(['bulky_waste']);
    expect(settingsProblems(DEFAULT_SETTINGS, withBulkyWaste(), inUse)).toEqual([
      {
        field: 'categories',
        reason: 'bulky_waste has cases filed under it: deactivate it instead of removing it',
      },
    ]);
    expect(settingsProblems(DEFAULT_SETTINGS, withBulkyWaste(), new Set())).toEqual([]);
  });

  it('refuse agenda labels with unknown or missing placeholders', () => {
    const bad: CommunitySettingsContent = {
      ...DEFAULT_SETTINGS,
      agendaLabels: {
        complaints: { zh: '本月{cases}', en: '{category}: {total}' },
        hotspot: DEFAULT_SETTINGS.agendaLabels.hotspot,
      },
    };
    expect(settingsProblems(bad, DEFAULT_SETTINGS, new Set())).toEqual([
      { field: 'agendaLabels.complaints.zh', reason: 'must contain {category}' },
      { field: 'agendaLabels.complaints.en', reason: '{total} is not a placeholder of this label' },
    ]);
  });

  it('list what a change did, field by field', () => {
    const next = withBulkyWaste();
    next.categories[3] = { ...next.categories[3], slaWorkingDays: 3 };
    next.evaluationWeights = { satisfaction: 40, timeliness: 40, ratings: 20 };
    expect(settingsChanges(DEFAULT_SETTINGS, next)).toEqual([
      { field: 'categories.noise.slaWorkingDays', from: '2', to: '3' },
      { field: 'categories.bulky_waste', to: JSON.stringify(next.categories[9]) },
      { field: 'evaluationWeights.satisfaction', from: '50', to: '40' },
      { field: 'evaluationWeights.timeliness', from: '30', to: '40' },
    ]);
    expect(settingsChanges(next, DEFAULT_SETTINGS).map((c) => c.field)).toContain('categories.bulky_waste');
    expect(settingsChanges(DEFAULT_SETTINGS, normalised(DEFAULT_SETTINGS))).toEqual([]);
  });

  it('notice a new order of the same categories', () => {
    const reordered = { ...DEFAULT_SETTINGS, categories: [...DEFAULT_SETTINGS.categories].reverse() };
    expect(settingsChanges(DEFAULT_SETTINGS, reordered).map((c) => c.field)).toEqual(['categories.order']);
  });

  it('route property maintenance to the property company, and sanitation only outside a home', () => {
    const category = (code: string) => DEFAULT_SETTINGS.categories.find((c) => c.code === code)!;
    expect(routedDepartment(category(CaseCategory.PropertyMaintenance), CaseLocationKind.Unit)).toBe(
      PROPERTY_DEPARTMENT,
    );
    expect(routedDepartment(category(CaseCategory.Sanitation), CaseLocationKind.CommonArea)).toBe(
      PROPERTY_DEPARTMENT,
    );
    expect(routedDepartment(category(CaseCategory.Sanitation), CaseLocationKind.Unit)).toBeUndefined();
    expect(routedDepartment(category(CaseCategory.Noise), CaseLocationKind.Building)).toBeUndefined();
  });

  it('fill agenda labels in each language', () => {
    const { complaints, hotspot } = DEFAULT_SETTINGS.agendaLabels;
    expect(renderLabel(complaints.en, { category: 'Noise', count: 1 }, SettingsLanguage.English)).toBe(
      'Noise: 1 case this month',
    );
    expect(renderLabel(complaints.zh, { category: '噪声扰民', count: 3 }, SettingsLanguage.Chinese)).toBe(
      '噪声扰民：本月3件',
    );
    expect(renderLabel(hotspot.en, { building: 'B002', count: 3 }, SettingsLanguage.English)).toBe(
      'Hotspot building B002: 3 cases this month',
    );
  });
});
