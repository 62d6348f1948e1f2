import { AgendaItemSource, CaseCategory, CaseRouting, JointBody, SettingsLanguage } from '@cg/contracts';
import { DEFAULT_SETTINGS } from '../settings/settings-rules';
import {
  MonthCase,
  Submission,
  agendaWording,
  buildGridAgenda,
  buildJointAgenda,
  monthPeriod,
  rankCategories,
  rankHotspots,
} from './meeting-agenda';

let seq = 0;
const at = (day: number, hour = 9) =>
  new Date(`2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`);
function cases(category: CaseCategory, n: number, buildingId = 'b1', day = 1): MonthCase[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `c${String(++seq).padStart(3, '0')}`,
    category,
    buildingId,
    reportedAt: at(day + i),
  }));
}
const submission = (id: string, minute: number, extra: Partial<Submission> = {}): Submission => ({
  id,
  title: `Item ${id}`,
  description: `About ${id}`,
  submittedAt: new Date(Date.UTC(2026, 2, 20, 0, minute)),
  ...extra,
});

describe('the monthly grid meeting agenda', () => {
  it('puts the most frequent complaint categories first, with the latest cases as examples', () => {
    const noise = cases(CaseCategory.Noise, 5, 'b1', 1);
    const rental = cases(CaseCategory.GroupRental, 2, 'b2', 3);
    const other = cases(CaseCategory.Other, 1, 'b3', 4);
    const agenda = buildGridAgenda([...rental, ...other, ...noise], [], { topCategories: 2, hotspots: 0 });
    expect(agenda.totalCases).toBe(8);
    expect(agenda.topCategories).toEqual([
      { category: CaseCategory.Noise, count: 5, exampleCaseIds: [noise[4].id, noise[3].id, noise[2].id] },
      { category: CaseCategory.GroupRental, count: 2, exampleCaseIds: [rental[1].id, rental[0].id] },
    ]);
    expect(agenda.items.map((i) => [i.number, i.source, i.title])).toEqual([
      [1, AgendaItemSource.Complaints, 'Noise: 5 cases this month'],
      [2, AgendaItemSource.Complaints, 'Group rentals: 2 cases this month'],
    ]);
  });

  it('keeps every category tied with the last one kept, ordered by the category list', () => {
    const ranked = rankCategories(
      [
        ...cases(CaseCategory.Sanitation, 4),
        ...cases(CaseCategory.Other, 2),
        ...cases(CaseCategory.Noise, 2),
        ...cases(CaseCategory.GroupRental, 2),
        ...cases(CaseCategory.SafetyHazard, 1),
      ],
      2,
    );
    expect(ranked.map((r) => [r.category, r.count])).toEqual([
      [CaseCategory.Sanitation, 4],
      [CaseCategory.GroupRental, 2],
      [CaseCategory.Noise, 2],
      [CaseCategory.Other, 2],
    ]);
  });

  it('cuts strictly when the category after the cut has fewer cases', () => {
    const ranked = rankCategories(
      [
        ...cases(CaseCategory.Noise, 3),
        ...cases(CaseCategory.Other, 2),
        ...cases(CaseCategory.SafetyHazard, 1),
      ],
      2,
    );
    expect(ranked.map((r) => r.category)).toEqual([CaseCategory.Noise, CaseCategory.Other]);
  });

  it('gives an empty month no case items but keeps the departments items', () => {
    const agenda = buildGridAgenda([], [submission('s1', 0, { department: 'Urban management' })], {
      topCategories: 3,
      hotspots: 3,
    });
    expect(agenda).toMatchObject({ totalCases: 0, topCategories: [], hotspots: [] });
    expect(agenda.items).toEqual([
      {
        number: 1,
        source: AgendaItemSource.Department,
        title: 'Item s1',
        description: 'About s1',
        department: 'Urban management',
        submissionId: 's1',
        caseIds: [],
      },
    ]);
    expect(buildGridAgenda([], [], { topCategories: 3, hotspots: 3 }).items).toEqual([]);
  });

  it('lists hotspot buildings with at least two cases after the categories, labelled, most cases first', () => {
    const b2 = cases(CaseCategory.Noise, 3, 'b2', 1);
    const b1 = cases(CaseCategory.Sanitation, 2, 'b1', 5);
    const b3 = cases(CaseCategory.Sanitation, 1, 'b3', 9);
    const agenda = buildGridAgenda(
      [...b1, ...b2, ...b3],
      [],
      { topCategories: 1, hotspots: 5 },
      new Map([['b2', 'B002']]),
    );
    expect(agenda.hotspots.map((h) => [h.buildingId, h.buildingLabel, h.count])).toEqual([
      ['b2', 'B002', 3],
      ['b1', 'b1', 2],
    ]);
    expect(agenda.items.map((i) => i.source)).toEqual([
      AgendaItemSource.Complaints,
      AgendaItemSource.Complaints,
      AgendaItemSource.Hotspot,
      AgendaItemSource.Hotspot,
    ]);
    expect(agenda.items[2]).toMatchObject({
      title: 'Hotspot building B002: 3 cases this month',
      buildingId: 'b2',
    });
  });

  it('breaks hotspot ties by the latest case and cuts them strictly', () => {
    const early = cases(CaseCategory.Noise, 2, 'bx', 1);
    const late = cases(CaseCategory.Noise, 2, 'by', 10);
    expect(rankHotspots([...early, ...late], 1, new Map()).map((h) => h.buildingId)).toEqual(['by']);
  });

  it('orders department items by submission time, whatever order they are read in', () => {
    const items = [
      submission('s3', 30, { department: 'Housing' }),
      submission('s1', 5, { department: 'Police station' }),
      submission('s2', 30, { department: 'Urban management' }),
    ];
    const agenda = buildGridAgenda(cases(CaseCategory.Noise, 1), items, { topCategories: 3, hotspots: 3 });
    expect(agenda.items.map((i) => [i.number, i.submissionId ?? i.category])).toEqual([
      [1, CaseCategory.Noise],
      [2, 's1'],
      [3, 's2'],
      [4, 's3'],
    ]);
  });
});

describe('the joint meeting agenda', () => {
  it('groups the items by body (residents committee, owners committee, property company), each in submission order', () => {
    const agenda = buildJointAgenda([
      submission('p1', 1, { body: JointBody.PropertyCompany }),
      submission('o2', 9, { body: JointBody.OwnersCommittee }),
      submission('r1', 8, { body: JointBody.ResidentsCommittee }),
      submission('o1', 2, { body: JointBody.OwnersCommittee }),
    ]);
    expect(agenda.items.map((i) => [i.number, i.submissionId, i.source])).toEqual([
      [1, 'r1', AgendaItemSource.Body],
      [2, 'o1', AgendaItemSource.Body],
      [3, 'o2', AgendaItemSource.Body],
      [4, 'p1', AgendaItemSource.Body],
    ]);
    expect(agenda).toMatchObject({ totalCases: 0, topCategories: [], hotspots: [] });
  });
});

describe('the month reviewed', () => {
  it('runs from local midnight of the first to local midnight of the next month, across a year end', () => {
    expect(monthPeriod('2026-12')).toEqual({
      from: new Date('2026-12-01T00:00:00+08:00'),
      to: new Date('2027-01-01T00:00:00+08:00'),
    });
    expect(monthPeriod('2026-02').to).toEqual(new Date('2026-03-01T00:00:00+08:00'));
  });
});

describe("the agenda in a community's own wording", () => {
  it("names categories and titles items in the reader's language, ranking ties in the settings' order", () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      categories: [
        {
          code: 'street_lamps',
          names: { zh: '路灯', en: 'Street lamps' },
          slaWorkingDays: 4,
          routing: CaseRouting.Grid,
          active: true,
        },
        ...DEFAULT_SETTINGS.categories,
      ],
    };
    const month = [
      ...cases(CaseCategory.Noise, 2, 'b1'),
      ...cases(CaseCategory.Noise, 2, 'b2').map((c) => ({ ...c, category: 'street_lamps' })),
    ];
    const labels = new Map([
      ['b1', 'B001'],
      ['b2', 'B002'],
    ]);
    const zh = buildGridAgenda(
      month,
      [],
      { topCategories: 3, hotspots: 1 },
      labels,
      agendaWording(settings, SettingsLanguage.Chinese),
    );
    expect(zh.items.map((i) => i.title)).toEqual([
      '路灯：本月2件',
      '噪声扰民：本月2件',
      '热点楼栋B001：本月2件',
    ]);
    const en = buildGridAgenda(
      month,
      [],
      { topCategories: 1, hotspots: 0 },
      labels,
      agendaWording(settings, SettingsLanguage.English),
    );
    expect(en.items.map((i) => i.title)).toEqual([
      'Street lamps: 2 cases this month',
      'Noise: 2 cases this month',
    ]);
  });
});
