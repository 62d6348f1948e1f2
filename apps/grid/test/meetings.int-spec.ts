import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import {
  ActionItemStatus,
  ActionItemView,
  AgendaItemSource,
  CaseCategory,
  CaseLocationKind,
  CaseUrgency,
  DomainException,
  ErrorCode,
  HoldMeetingDto,
  JointBody,
  MeetingKind,
  MeetingStatus,
  MeetingView,
  Principal,
  Role,
  ServiceName,
} from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import { runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { GridCase } from '../src/cases/case.schema';
import { CasesService } from '../src/cases/cases.service';
import { HierarchyService } from '../src/hierarchy/hierarchy.service';
import { localDate } from '../src/meetings/meeting-lifecycle';
import { MeetingsService } from '../src/meetings/meetings.service';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as DomainException).code;
  }
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

describe('meetings in the grid service, with two instances on one database', () => {
  const id = runId();
  let config: ServiceConfig;
  let first: INestApplication;
  let second: INestApplication;
  let meetings: MeetingsService;
  let meetingsElsewhere: MeetingsService;
  let cases: CasesService;
  let communityId: string;
  let otherCommunityId: string;
  let gridId: string;
  let secondGridId: string;
  let buildingIds: string[];
  let unitId: string;
  let staff: Principal;
  let worker: Principal;
  let owner: Principal;
  let resident: Principal;
  let ownersCommittee: Principal;
  let outsider: Principal;
  const month = localDate(new Date()).slice(0, 7);

  const start = () => startServiceApp(GridAppModule.register(config), config);

  beforeAll(async () => {
    config = testServiceConfig(ServiceName.Grid, id);
    [first, second] = [await start(), await start()];
    meetings = first.get(MeetingsService);
    meetingsElsewhere = second.get(MeetingsService);
    cases = first.get(CasesService);
    const hierarchy = first.get(HierarchyService);
    communityId = (
      await hierarchy.createCommunity(admin, {
        code: `M${id}`,
        name: 'K',
        district: 'Xuhui',
        street: 'Kangjian',
      })
    ).id;
    otherCommunityId = (
      await hierarchy.createCommunity(admin, {
        code: `N${id}`,
        name: 'O',
        district: 'Xuhui',
        street: 'Kangjian',
      })
    ).id;
    const areaId = (await hierarchy.createArea(admin, communityId, { code: 'A1', name: 'Area 1' })).id;
    gridId = (await hierarchy.createGrid(admin, communityId, { areaId, code: 'G1', name: 'Grid 1' })).id;
    secondGridId = (await hierarchy.createGrid(admin, communityId, { areaId, code: 'G2', name: 'Grid 2' }))
      .id;
    const bulk = await hierarchy.bulkCreateBuildings(admin, communityId, {
      gridId,
      buildings: [
        { code: 'B1', floors: 2, unitsPerFloor: 1 },
        { code: 'B2', floors: 2, unitsPerFloor: 1 },
      ],
    });
    buildingIds = bulk.buildings.map((b) => b.id);
    unitId = (await hierarchy.listUnits(admin, communityId, buildingIds[0], { limit: 1 })).items[0].id;
    staff = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
    worker = { sub: 'worker', name: 'Zhao Lei', roles: [Role.GridWorker], communityIds: [communityId] };
    owner = {
      sub: 'leader',
      personId: String(new Types.ObjectId()),
      name: 'Sun Li',
      roles: [Role.BuildingLeader],
      communityIds: [communityId],
    };
    resident = { sub: 'resident', name: 'Li Ming', roles: [Role.Resident], communityIds: [communityId] };
    ownersCommittee = {
      sub: 'oc',
      name: 'Qian Wei',
      roles: [Role.OwnersCommitteeMember],
      communityIds: [communityId],
    };
    outsider = {
      sub: 'outsider',
      name: 'Wu Hao',
      roles: [Role.CommunityStaff],
      communityIds: [otherCommunityId],
    };
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const file = (category: CaseCategory, building: number, onUnit = false) =>
    cases.file(resident, communityId, {
      category,
      urgency: CaseUrgency.Normal,
      description: `A ${category} complaint for the meeting`,
      locationKind: onUnit ? CaseLocationKind.Unit : CaseLocationKind.Building,
      locationId: onUnit ? unitId : buildingIds[building],
    });

  const holding = (meeting: MeetingView, over: Partial<HoldMeetingDto> = {}): HoldMeetingDto => ({
    expectedVersion: meeting.version,
    attendees: [
      { name: 'Zhao Lei', position: 'grid_head' },
      { name: 'Ma Jun', position: 'department_officer', department: 'Urban management' },
    ],
    minutes: 'Reviewed the month.',
    decisions: [
      {
        text: 'Quiet hours notices in B1',
        actionItems: [
          {
            title: 'Post notices',
            ownerPersonId: owner.personId!,
            ownerName: owner.name,
            dueDate: '2999-12-31',
          },
          {
            title: 'Visit the household',
            ownerPersonId: String(new Types.ObjectId()),
            ownerName: 'Zhao Lei',
            dueDate: '2000-01-31',
          },
        ],
      },
    ],
    ...over,
  });

  it("builds the agenda from the grid's cases of the month, ties kept, then the departments' items in order", async () => {
    const noise = [
      await file(CaseCategory.Noise, 0, true),
      await file(CaseCategory.Noise, 0),
      await file(CaseCategory.Noise, 0),
    ];
    const sanitation = [await file(CaseCategory.Sanitation, 1), await file(CaseCategory.Sanitation, 1)];
    await file(CaseCategory.Other, 1);
    // One noise case belongs to last month: it must not count.
    const model = first.get<Model<GridCase>>(getModelToken(GridCase.name));
    const lastMonth = new Date(`${previousMonth(month)}-15T12:00:00+08:00`);
    await model.updateOne({ _id: new Types.ObjectId(noise[0].id) }, { $set: { reportedAt: lastMonth } });

    const scheduled = await meetings.scheduleGrid(worker, communityId, {
      gridId,
      month,
      scheduledAt: new Date().toISOString(),
      topCategories: 1,
    });
    await meetings.submitItem(staff, communityId, scheduled.id, {
      department: 'Urban management',
      title: 'Shared bicycles on the fire lane',
      description: 'Agree a morning check',
    });
    const latest = await meetingsElsewhere.submitItem(worker, communityId, scheduled.id, {
      department: 'Police station',
      title: 'Group rental check in B2',
      description: 'Joint visit next week',
    });
    expect(latest).toMatchObject({
      status: MeetingStatus.Scheduled,
      version: 2,
      kind: MeetingKind.GridMonthly,
    });
    expect(latest.agenda).toMatchObject({ frozen: false, totalCases: 5 });
    expect(latest.agenda.topCategories).toEqual([
      { category: CaseCategory.Noise, count: 2, exampleCaseIds: [noise[2].id, noise[1].id] },
      { category: CaseCategory.Sanitation, count: 2, exampleCaseIds: [sanitation[1].id, sanitation[0].id] },
    ]);
    expect(latest.agenda.hotspots.map((h) => [h.buildingLabel, h.count])).toEqual([
      ['B2', 3],
      ['B1', 2],
    ]);
    expect(
      latest.agenda.items.map((i) => [i.number, i.source, i.department ?? i.category ?? i.buildingId]),
    ).toEqual([
      [1, AgendaItemSource.Complaints, CaseCategory.Noise],
      [2, AgendaItemSource.Complaints, CaseCategory.Sanitation],
      [3, AgendaItemSource.Hotspot, buildingIds[1]],
      [4, AgendaItemSource.Hotspot, buildingIds[0]],
      [5, AgendaItemSource.Department, 'Urban management'],
      [6, AgendaItemSource.Department, 'Police station'],
    ]);

    const held = await meetings.hold(worker, communityId, scheduled.id, holding(latest));
    expect(held).toMatchObject({ status: MeetingStatus.Held, version: 3, minutes: 'Reviewed the month.' });
    expect(held.agenda).toMatchObject({ frozen: true, totalCases: 5 });
    // Cases filed after the meeting do not change its agenda.
    await file(CaseCategory.SafetyHazard, 0);
    expect((await meetings.get(resident, communityId, scheduled.id)).agenda.totalCases).toBe(5);
  });

  it('allows one monthly meeting per grid and month, even when two instances schedule it at once', async () => {
    const schedule = (service: MeetingsService) =>
      service.scheduleGrid(staff, communityId, {
        gridId: secondGridId,
        month: '2030-01',
        scheduledAt: '2030-01-30T14:00:00+08:00',
      });
    const results = await Promise.allSettled([schedule(meetings), schedule(meetingsElsewhere)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((refused.reason as DomainException).code).toBe(ErrorCode.DUPLICATE);
    expect(await codeOf(schedule(meetings))).toBe(ErrorCode.DUPLICATE);
    const nextMonth = await meetings.scheduleGrid(staff, communityId, {
      gridId: secondGridId,
      month: '2030-02',
      scheduledAt: '2030-02-27T14:00:00+08:00',
    });
    expect(nextMonth.agenda).toMatchObject({ totalCases: 0, items: [] });
  });

  it('holds a meeting once: of 20 concurrent holds on two instances exactly one wins', async () => {
    const scheduled = await meetings.scheduleGrid(worker, communityId, {
      gridId,
      month: '2030-03',
      scheduledAt: '2030-03-30T14:00:00+08:00',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? meetingsElsewhere : meetings).hold(
          i % 2 ? staff : worker,
          communityId,
          scheduled.id,
          holding(scheduled),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as DomainException).code)).toEqual(
      Array(19).fill(ErrorCode.CONFLICT),
    );
    const held = await meetings.get(staff, communityId, scheduled.id);
    expect(held).toMatchObject({ status: MeetingStatus.Held, version: 1 });
    expect(held.actionItems).toHaveLength(2);
  });

  it('keeps every one of 20 agenda items submitted at once on two instances', async () => {
    const scheduled = await meetings.scheduleGrid(worker, communityId, {
      gridId,
      month: '2030-09',
      scheduledAt: '2030-09-27T14:00:00+08:00',
    });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? meetingsElsewhere : meetings).submitItem(worker, communityId, scheduled.id, {
          department: 'Urban management',
          title: `Item ${i}`,
          description: 'Raised at once',
        }),
      ),
    );
    expect(replies.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const after = await meetings.get(staff, communityId, scheduled.id);
    expect(after.version).toBe(20);
    expect(
      after.agenda.items
        .filter((item) => item.title.startsWith('Item '))
        .map((item) => item.title)
        .sort(),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `Item ${i}`).sort());
  });

  it('refuses steps out of order with INVALID_TRANSITION and stale versions with CONFLICT', async () => {
    const scheduled = await meetings.scheduleGrid(worker, communityId, {
      gridId,
      month: '2030-04',
      scheduledAt: '2030-04-28T14:00:00+08:00',
    });
    expect(await codeOf(meetings.close(worker, communityId, scheduled.id, { expectedVersion: 0 }))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
    expect(
      await codeOf(
        meetings.hold(worker, communityId, scheduled.id, holding(scheduled, { expectedVersion: 7 })),
      ),
    ).toBe(ErrorCode.CONFLICT);
    const held = await meetings.hold(worker, communityId, scheduled.id, holding(scheduled));
    expect(await codeOf(meetings.hold(worker, communityId, scheduled.id, holding(held)))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
    expect(
      await codeOf(
        meetings.submitItem(staff, communityId, scheduled.id, {
          department: 'Housing',
          title: 'Late',
          description: 'Too late',
        }),
      ),
    ).toBe(ErrorCode.INVALID_TRANSITION);
    expect(
      await codeOf(
        meetings.reschedule(staff, communityId, scheduled.id, {
          expectedVersion: held.version,
          location: 'Hall',
        }),
      ),
    ).toBe(ErrorCode.INVALID_TRANSITION);
    const closed = await meetings.close(staff, communityId, scheduled.id, { expectedVersion: held.version });
    expect(closed.status).toBe(MeetingStatus.Closed);
    expect(
      await codeOf(meetings.close(staff, communityId, scheduled.id, { expectedVersion: closed.version })),
    ).toBe(ErrorCode.INVALID_TRANSITION);
    // Action items are still tracked after the meeting is closed.
    const item = closed.actionItems[0];
    const done = await meetings.updateActionItem(owner, communityId, scheduled.id, item.id, {
      expectedVersion: item.version,
      status: ActionItemStatus.Done,
    });
    expect(done.status).toBe(ActionItemStatus.Done);
  });

  it('derives overdue from the due date and lets the owner or organisers, and nobody else, update an item', async () => {
    const scheduled = await meetings.scheduleGrid(worker, communityId, {
      gridId,
      month: '2030-05',
      scheduledAt: '2030-05-28T14:00:00+08:00',
    });
    const held = await meetings.hold(worker, communityId, scheduled.id, holding(scheduled));
    const [notices, visit] = held.actionItems;
    expect(notices).toMatchObject({
      status: ActionItemStatus.Open,
      owner: { personId: owner.personId, name: 'Sun Li' },
    });
    expect(visit.status).toBe(ActionItemStatus.Overdue);
    expect(held.decisions).toEqual([
      { text: 'Quiet hours notices in B1', actionItemIds: [notices.id, visit.id] },
    ]);

    expect(
      await codeOf(
        meetings.updateActionItem(resident, communityId, scheduled.id, notices.id, {
          expectedVersion: 0,
          status: ActionItemStatus.Done,
        }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
    expect(
      await codeOf(
        meetings.updateActionItem(owner, communityId, scheduled.id, notices.id, {
          expectedVersion: 0,
          dueDate: '2999-01-01',
        }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
    const progress = await meetings.updateActionItem(owner, communityId, scheduled.id, notices.id, {
      expectedVersion: 0,
      progressNote: 'Half the stairwells done',
    });
    expect(progress).toMatchObject({
      version: 1,
      progressNote: 'Half the stairwells done',
      updatedBy: { name: 'Sun Li' },
    });
    const moved = await meetings.updateActionItem(staff, communityId, scheduled.id, visit.id, {
      expectedVersion: 0,
      dueDate: '2999-06-30',
    });
    expect(moved.status).toBe(ActionItemStatus.Open);
    expect(
      await codeOf(
        meetings.updateActionItem(owner, communityId, scheduled.id, notices.id, {
          expectedVersion: 0,
          status: ActionItemStatus.Done,
        }),
      ),
    ).toBe(ErrorCode.CONFLICT);
  });

  it('updates two items of one meeting at once without losing either, and one item at one version only once', async () => {
    const scheduled = await meetings.scheduleGrid(worker, communityId, {
      gridId,
      month: '2030-06',
      scheduledAt: '2030-06-28T14:00:00+08:00',
    });
    const held = await meetings.hold(worker, communityId, scheduled.id, holding(scheduled));
    const [a, b] = held.actionItems;
    await Promise.all([
      meetings.updateActionItem(worker, communityId, scheduled.id, a.id, {
        expectedVersion: 0,
        status: ActionItemStatus.Done,
      }),
      meetingsElsewhere.updateActionItem(staff, communityId, scheduled.id, b.id, {
        expectedVersion: 0,
        progressNote: 'Booked',
      }),
    ]);
    const after = await meetings.get(staff, communityId, scheduled.id);
    expect(after.actionItems.map((i) => [i.status, i.progressNote, i.version])).toEqual([
      [ActionItemStatus.Done, undefined, 1],
      [ActionItemStatus.Overdue, 'Booked', 1],
    ]);

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? meetingsElsewhere : meetings).updateActionItem(
          i % 2 ? staff : worker,
          communityId,
          scheduled.id,
          a.id,
          {
            expectedVersion: 1,
            progressNote: `note ${i}`,
          },
        ),
      ),
    );
    const won = results.filter((r): r is PromiseFulfilledResult<ActionItemView> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as DomainException).code)).toEqual(
      Array(19).fill(ErrorCode.CONFLICT),
    );
    const [stored] = (await meetings.get(staff, communityId, scheduled.id)).actionItems;
    expect(stored).toMatchObject({ version: 2, progressNote: won[0].value.progressNote });
  });

  it("returns the last held meeting's action items of a grid, and nothing for a grid without one", async () => {
    const last = await meetings.lastActionItems(worker, communityId, { gridId });
    expect(last.meeting?.month).toBe('2030-06');
    expect(last.actionItems.map((i) => i.title)).toEqual(['Post notices', 'Visit the household']);
    expect(await meetings.lastActionItems(worker, communityId, { gridId: secondGridId })).toEqual({
      gridId: secondGridId,
      actionItems: [],
    });
  });

  it('refuses action items about cases of another community', async () => {
    const scheduled = await meetings.scheduleGrid(worker, communityId, {
      gridId,
      month: '2030-07',
      scheduledAt: '2030-07-28T14:00:00+08:00',
    });
    const foreign = holding(scheduled);
    foreign.decisions[0].actionItems[0].caseIds = [String(new Types.ObjectId())];
    expect(await codeOf(meetings.hold(worker, communityId, scheduled.id, foreign))).toBe(ErrorCode.NOT_FOUND);
  });

  it('runs the joint meeting with items from each body, in body order, and no case-derived agenda', async () => {
    const joint = await meetings.scheduleJoint(staff, communityId, {
      title: 'Parking at the east gate',
      scheduledAt: '2030-03-12T19:00:00+08:00',
    });
    await meetings.submitItem(ownersCommittee, communityId, joint.id, {
      body: JointBody.OwnersCommittee,
      title: 'Parking fees',
      description: 'Owners ask for a review',
    });
    expect(
      await codeOf(
        meetings.submitItem(ownersCommittee, communityId, joint.id, {
          body: JointBody.PropertyCompany,
          title: 'Speaking for the property company',
          description: 'Not allowed',
        }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
    expect(
      await codeOf(
        meetings.submitItem(staff, communityId, joint.id, {
          department: 'Housing',
          title: 'x',
          description: 'y',
        }),
      ),
    ).toBe(ErrorCode.VALIDATION_FAILED);
    const withItems = await meetings.submitItem(staff, communityId, joint.id, {
      body: JointBody.ResidentsCommittee,
      title: 'Night-time noise of the barrier',
      description: 'Residents complain',
    });
    expect(withItems.agenda).toMatchObject({ totalCases: 0, topCategories: [], hotspots: [] });
    expect(withItems.agenda.items.map((i) => [i.number, i.body])).toEqual([
      [1, JointBody.ResidentsCommittee],
      [2, JointBody.OwnersCommittee],
    ]);
    const held = await meetings.hold(staff, communityId, joint.id, {
      expectedVersion: withItems.version,
      attendees: [
        { name: 'Chen Jing', position: 'director', body: JointBody.ResidentsCommittee },
        { name: 'Qian Wei', position: 'chair', body: JointBody.OwnersCommittee },
        { name: 'He Ping', position: 'project manager', body: JointBody.PropertyCompany },
      ],
      minutes: 'Agreed a trial of quieter barriers.',
      decisions: [
        {
          text: 'Trial a quieter barrier',
          actionItems: [
            {
              title: 'Get quotes',
              ownerPersonId: String(new Types.ObjectId()),
              ownerName: 'He Ping',
              dueDate: '2999-01-01',
            },
          ],
        },
      ],
    });
    expect(held.agenda.frozen).toBe(true);
    expect(
      (await meetings.lastActionItems(resident, communityId, {})).actionItems.map((i) => i.title),
    ).toEqual(['Get quotes']);
  });

  it("keeps other communities' staff out and residents to reading", async () => {
    const page = await meetings.list(resident, communityId, {
      kind: MeetingKind.GridMonthly,
      gridId: secondGridId,
    });
    expect(page.items.map((m) => m.month)).toEqual(['2030-01', '2030-02']);
    expect(await codeOf(meetings.list(outsider, communityId, {}))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(meetings.get(outsider, communityId, page.items[0].id))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(meetings.get(outsider, otherCommunityId, page.items[0].id))).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect(
      await codeOf(
        meetings.scheduleGrid(resident, communityId, {
          gridId,
          month: '2031-01',
          scheduledAt: '2031-01-28T14:00:00+08:00',
        }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
    expect(
      await codeOf(
        meetings.scheduleGrid(outsider, otherCommunityId, {
          gridId,
          month: '2031-01',
          scheduledAt: '2031-01-28T14:00:00+08:00',
        }),
      ),
    ).toBe(ErrorCode.NODE_NOT_FOUND);
  });
});
