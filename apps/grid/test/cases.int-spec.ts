import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import {
  EscalationLevel,
  GridPosition,
  AssigneeKind,
  CaseAction,
  CaseCategory,
  CaseLocationKind,
  CaseRating,
  CaseStatus,
  CaseUrgency,
  CaseView,
  DomainException,
  ErrorCode,
  EventContract,
  EventEnvelope,
  GridEvents,
  Principal,
  PropertyServiceEvents,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { DurableConsumers, startServiceApp } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { CaseEscalation } from '../src/cases/case-escalation.service';
import { GridCase } from '../src/cases/case.schema';
import { CasesService } from '../src/cases/cases.service';
import { PropertyResolutionsService } from '../src/cases/property-resolutions.service';
import { ESCALATION_PERIOD_MS } from '../src/cases/sla-policy';
import { HierarchyService } from '../src/hierarchy/hierarchy.service';
import { StaffService } from '../src/hierarchy/staff.service';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as DomainException).code;
  }
}

describe('cases in the grid service, with two instances on one database', () => {
  const id = runId();
  let config: ServiceConfig;
  let first: INestApplication;
  let second: INestApplication;
  let cases: CasesService;
  let communityId: string;
  let otherCommunityId: string;
  let gridId: string;
  let secondGridId: string;
  let areaId: string;
  let buildingId: string;
  let unitIds: string[];
  let staff: Principal;
  let worker: Principal;
  let resident: Principal;
  let neighbour: Principal;
  const events: EventEnvelope[] = [];

  const start = () => startServiceApp(GridAppModule.register(config), config);

  beforeAll(async () => {
    config = testServiceConfig(ServiceName.Grid, id);
    [first, second] = [await start(), await start()];
    cases = first.get(CasesService);
    const hierarchy = first.get(HierarchyService);
    const community = await hierarchy.createCommunity(admin, {
      code: `C${id}`,
      name: 'K',
      district: 'Xuhui',
      street: 'Kangjian',
    });
    const other = await hierarchy.createCommunity(admin, {
      code: `O${id}`,
      name: 'O',
      district: 'Xuhui',
      street: 'Kangjian',
    });
    communityId = community.id;
    otherCommunityId = other.id;
    const area = await hierarchy.createArea(admin, communityId, { code: 'A1', name: 'Area 1' });
    areaId = area.id;
    gridId = (await hierarchy.createGrid(admin, communityId, { areaId, code: 'G1', name: 'Grid 1' })).id;
    secondGridId = (await hierarchy.createGrid(admin, communityId, { areaId, code: 'G2', name: 'Grid 2' }))
      .id;
    const bulk = await hierarchy.bulkCreateBuildings(admin, communityId, {
      gridId,
      buildings: [{ code: 'B1', floors: 3, unitsPerFloor: 2 }],
    });
    buildingId = bulk.buildings[0].id;
    const units = await hierarchy.listUnits(admin, communityId, buildingId, { limit: 10 });
    unitIds = units.items.map((u) => u.id);
    staff = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
    worker = {
      sub: 'worker',
      personId: String(new Types.ObjectId()),
      name: 'Zhao Lei',
      roles: [Role.GridWorker],
      communityIds: [communityId],
    };
    // A grid worker handles the cases of the grids they staff.
    const staffing = first.get(StaffService);
    for (const nodeId of [gridId, secondGridId]) {
      await staffing.assign(admin, communityId, { nodeId, position: GridPosition.GridStaff, name: worker.name, personId: worker.personId });
    }
    resident = {
      sub: 'resident',
      personId: String(new Types.ObjectId()),
      name: 'Li Ming',
      roles: [Role.Resident],
      communityIds: [communityId],
    };
    neighbour = { sub: 'neighbour', name: 'Sun Li', roles: [Role.Resident], communityIds: [communityId] };
    const consumers = first.get(DurableConsumers);
    for (const contract of [
      GridEvents.propertyCaseOpened,
      GridEvents.caseResolved,
      GridEvents.caseEscalated,
    ] as EventContract<unknown>[]) {
      await consumers.start({
        durable: `cases-test-${id}-${contract.type.split('.').pop()}`,
        event: contract,
        handle: async (e) => void events.push(e),
      });
    }
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const file = (over: Partial<Parameters<CasesService['file']>[2]> = {}, by = resident) =>
    cases.file(by, communityId, {
      category: CaseCategory.Noise,
      urgency: CaseUrgency.Normal,
      description: 'Loud music every night after eleven',
      locationKind: CaseLocationKind.Unit,
      locationId: unitIds[0],
      ...over,
    });

  async function handleToResolved(caseId: string): Promise<CaseView> {
    await cases.accept(worker, communityId, caseId, {});
    await cases.assign(worker, communityId, caseId, {
      assigneeKind: AssigneeKind.GridStaff,
      assigneeName: 'Zhao Lei',
    });
    await cases.start(worker, communityId, caseId, {});
    return cases.resolve(worker, communityId, caseId, { note: 'Talked to the neighbour' });
  }

  it('finds the grid from the unit and records the filing', async () => {
    const filed = await file();
    expect(filed).toMatchObject({
      status: CaseStatus.Reported,
      gridId,
      areaId,
      buildingId,
      unitId: unitIds[0],
      version: 0,
      flag: 'green',
    });
    expect(filed.history).toEqual([
      expect.objectContaining({ action: CaseAction.File, by: expect.objectContaining({ sub: 'resident' }) }),
    ]);
    expect(new Date(filed.dueAt).getTime()).toBeGreaterThan(new Date(filed.reportedAt).getTime());
  });

  it('refuses a unit of another community and a building id given as a unit', async () => {
    expect(await codeOf(file({ locationId: buildingId }))).toBe(ErrorCode.UNIT_NOT_FOUND);
    expect(await codeOf(file({ locationKind: CaseLocationKind.Building, locationId: unitIds[0] }))).toBe(
      ErrorCode.NODE_NOT_FOUND,
    );
  });

  it('publishes property cases and resolutions through the outbox', async () => {
    const leak = await file({
      category: CaseCategory.PropertyMaintenance,
      locationKind: CaseLocationKind.CommonArea,
      locationId: buildingId,
      place: 'Stairwell',
    });
    const noise = await file();
    await handleToResolved(leak.id);
    await eventually(
      async () =>
        events.some(
          (e) =>
            e.type === GridEvents.propertyCaseOpened.type &&
            (e.data as { caseId: string }).caseId === leak.id,
        ) &&
        events.some(
          (e) => e.type === GridEvents.caseResolved.type && (e.data as { caseId: string }).caseId === leak.id,
        ),
    );
    expect(events.find((e) => (e.data as { caseId: string }).caseId === leak.id)).toMatchObject({
      communityId,
      data: { buildingId, gridId },
    });
    expect(
      events.some(
        (e) =>
          e.type === GridEvents.propertyCaseOpened.type && (e.data as { caseId: string }).caseId === noise.id,
      ),
    ).toBe(false);
  });

  it('reopens once on a dissatisfied rating, then closes on the second', async () => {
    const filed = await file();
    await handleToResolved(filed.id);
    expect(await codeOf(cases.rate(neighbour, communityId, filed.id, { rating: CaseRating.Satisfied }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    const reopened = await cases.rate(resident, communityId, filed.id, {
      rating: CaseRating.Dissatisfied,
      comment: 'Still loud',
    });
    expect(reopened).toMatchObject({ status: CaseStatus.Accepted, reopenCount: 1 });
    expect(reopened.assignee).toBeUndefined();
    expect(reopened.history.at(-1)).toMatchObject({
      action: CaseAction.Reopen,
      from: CaseStatus.Resolved,
      to: CaseStatus.Accepted,
    });
    await cases.assign(worker, communityId, filed.id, {
      assigneeKind: AssigneeKind.PartyMember,
      assigneeName: 'Qian Wei',
    });
    await cases.start(worker, communityId, filed.id, {});
    await cases.resolve(worker, communityId, filed.id, {});
    const closed = await cases.rate(resident, communityId, filed.id, {
      rating: CaseRating.Dissatisfied,
      comment: 'Still loud',
    });
    expect(closed).toMatchObject({
      status: CaseStatus.Closed,
      rating: CaseRating.Dissatisfied,
      reopenCount: 1,
    });
    expect(await codeOf(cases.rate(resident, communityId, filed.id, { rating: CaseRating.Satisfied }))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
  });

  it('lets a grid return a case with a reason and the community hand it to another grid for good', async () => {
    const filed = await file();
    const returned = await cases.returnCase(worker, communityId, filed.id, {
      reason: 'The shop belongs to grid 2',
    });
    expect(returned.status).toBe(CaseStatus.Returned);
    expect(await codeOf(cases.arbitrate(worker, communityId, filed.id, { gridId: secondGridId }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    const arbitrated = await cases.arbitrate(staff, communityId, filed.id, {
      gridId: secondGridId,
      note: 'Grid 2 handles street shops',
    });
    expect(arbitrated).toMatchObject({ status: CaseStatus.Accepted, gridId: secondGridId });
    expect(await codeOf(cases.returnCase(worker, communityId, filed.id, { reason: 'Not ours either' }))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
    expect(arbitrated.history.map((h) => h.action)).toEqual([
      CaseAction.File,
      CaseAction.Return,
      CaseAction.Arbitrate,
    ]);
  });

  it('grants an extension asked before the deadline and refuses one asked after it', async () => {
    const filed = await file();
    await cases.accept(worker, communityId, filed.id, {});
    const asked = await cases.requestExtension(worker, communityId, filed.id, {
      workingDays: 3,
      reason: 'Waiting for the owner to return',
    });
    expect(asked.pendingExtension).toMatchObject({ workingDays: 3 });
    expect(await codeOf(cases.decideExtension(worker, communityId, filed.id, { approve: true }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    const granted = await cases.decideExtension(staff, communityId, filed.id, { approve: true });
    expect(new Date(granted.dueAt).getTime()).toBeGreaterThan(new Date(filed.dueAt).getTime());
    expect(granted.pendingExtension).toBeUndefined();

    const late = await file();
    await cases.accept(worker, communityId, late.id, {});
    const model = first.get<Model<GridCase>>(getModelToken(GridCase.name));
    await model.updateOne(
      { _id: new Types.ObjectId(late.id) },
      { $set: { dueAt: new Date(Date.now() - 60_000) } },
    );
    expect(
      await codeOf(
        cases.requestExtension(worker, communityId, late.id, { workingDays: 1, reason: 'Too late to ask' }),
      ),
    ).toBe(ErrorCode.OUTSIDE_WINDOW);
    expect((await cases.get(staff, communityId, late.id)).flag).toBe('red');
  });

  it('refuses a step on a stale version with CONFLICT', async () => {
    const filed = await file();
    await cases.accept(worker, communityId, filed.id, { expectedVersion: 0 });
    expect(
      await codeOf(
        cases.assign(worker, communityId, filed.id, {
          expectedVersion: 0,
          assigneeKind: AssigneeKind.Volunteer,
          assigneeName: 'V',
        }),
      ),
    ).toBe(ErrorCode.CONFLICT);
  });

  const published = (type: string, caseId: string) =>
    events.filter((e) => e.type === type && (e.data as { caseId: string }).caseId === caseId).length;
  const stored = (caseId: string) =>
    first.get<Model<GridCase>>(getModelToken(GridCase.name)).findById(caseId).lean<GridCase>().exec();
  /** Settles the contenders, spread over both instances, and answers the winners and the losers' codes. */
  async function race(contenders: ((service: CasesService) => Promise<CaseView>)[]) {
    const services = [cases, second.get(CasesService)];
    const results = await Promise.allSettled(contenders.map((run, i) => run(services[i % 2])));
    return {
      winners: results
        .filter((r): r is PromiseFulfilledResult<CaseView> => r.status === 'fulfilled')
        .map((r) => r.value),
      losers: results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => (r.reason as DomainException).code),
    };
  }

  it('lets exactly one of 50 concurrent sign-fors on two instances win; the others get CONFLICT or INVALID_TRANSITION', async () => {
    const filed = await file();
    const { winners, losers } = await race(
      Array.from(
        { length: 50 },
        (_, i) => (service: CasesService) =>
          service.accept(i % 3 === 0 ? staff : worker, communityId, filed.id, {}),
      ),
    );
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: CaseStatus.Accepted, version: 1 });
    expect(losers).toHaveLength(49);
    expect(losers.every((code) => code === ErrorCode.CONFLICT || code === ErrorCode.INVALID_TRANSITION)).toBe(
      true,
    );
    const after = await stored(filed.id);
    expect(after).toMatchObject({ status: CaseStatus.Accepted, version: 1 });
    expect(after!.history.map((h) => h.action)).toEqual([CaseAction.File, CaseAction.Accept]);
  });

  it('lets exactly one of concurrent resolves and returns land, with a consistent history and its event published once', async () => {
    const filed = await file();
    await cases.accept(worker, communityId, filed.id, {});
    await cases.assign(worker, communityId, filed.id, {
      assigneeKind: AssigneeKind.GridStaff,
      assigneeName: 'Zhao Lei',
    });
    await cases.start(worker, communityId, filed.id, {});
    const { winners, losers } = await race(
      Array.from(
        { length: 20 },
        (_, i) => (service: CasesService) =>
          i % 2 === 0
            ? service.resolve(worker, communityId, filed.id, { note: `fixed ${i}` })
            : service.returnCase(worker, communityId, filed.id, { reason: `not ours ${i}` }),
      ),
    );
    expect(winners).toHaveLength(1);
    expect(winners[0].status).toBe(CaseStatus.Resolved);
    expect(losers.filter((code) => code === ErrorCode.INVALID_TRANSITION).length).toBeGreaterThanOrEqual(10);
    expect(losers.every((code) => code === ErrorCode.CONFLICT || code === ErrorCode.INVALID_TRANSITION)).toBe(
      true,
    );
    const after = await stored(filed.id);
    expect(after).toMatchObject({ status: CaseStatus.Resolved, version: 4 });
    expect(after!.history.map((h) => [h.action, h.from, h.to])).toEqual([
      [CaseAction.File, CaseStatus.Reported, CaseStatus.Reported],
      [CaseAction.Accept, CaseStatus.Reported, CaseStatus.Accepted],
      [CaseAction.Assign, CaseStatus.Accepted, CaseStatus.Assigned],
      [CaseAction.Start, CaseStatus.Assigned, CaseStatus.InProgress],
      [CaseAction.Resolve, CaseStatus.InProgress, CaseStatus.Resolved],
    ]);
    expect(after!.history.at(-1)!.note).toBe(winners[0].history.at(-1)!.note);
    await eventually(
      async () =>
        published(GridEvents.caseResolved.type, filed.id) === 1 &&
        (await stored(filed.id))!.outbox.length === 0,
    );
    await cases['outbox'].sweep(GridCase.name);
    expect(published(GridEvents.caseResolved.type, filed.id)).toBe(1);
  });

  it("resolves a property case once when the company's resolution reaches both instances at once and again later", async () => {
    const lift = await file({
      category: CaseCategory.PropertyMaintenance,
      locationKind: CaseLocationKind.Building,
      locationId: buildingId,
      description: 'The lift stops between floors',
    });
    await cases.accept(worker, communityId, lift.id, {});
    const resolution = newEvent(
      PropertyServiceEvents.serviceRequestResolved,
      { requestId: new Types.ObjectId().toHexString(), caseId: lift.id, resolvedAt: new Date().toISOString(), handler: 'Wang' },
      { communityId, actor: 'manager', correlationId: `c-${id}` },
    );
    const instances = [first, second].map((app) => app.get(PropertyResolutionsService));
    await Promise.all([...instances, ...instances].map((service) => service.onServiceRequestResolved(resolution)));
    await instances[0].onServiceRequestResolved(resolution);
    const after = await stored(lift.id);
    expect(after).toMatchObject({ status: CaseStatus.Resolved, version: 2, tally: { resolved: 1 } });
    expect(after!.history.filter((h) => h.action === CaseAction.Resolve)).toHaveLength(1);
    expect(after!.nextEscalationAt).toBeUndefined();
    await eventually(async () => published(GridEvents.caseResolved.type, lift.id) === 1);
    const closed = await cases.rate(resident, communityId, lift.id, { rating: CaseRating.Satisfied });
    expect(closed.status).toBe(CaseStatus.Closed);
  });

  it("resolves a property case once when a staff step races the company's resolution", async () => {
    const lift = await file({ category: CaseCategory.PropertyMaintenance, locationKind: CaseLocationKind.Building, locationId: buildingId });
    await cases.accept(worker, communityId, lift.id, {});
    const resolution = newEvent(
      PropertyServiceEvents.serviceRequestResolved,
      { requestId: new Types.ObjectId().toHexString(), caseId: lift.id, resolvedAt: new Date().toISOString() },
      { communityId, actor: 'manager', correlationId: `c-${id}` },
    );
    const [assigned] = await Promise.allSettled([
      second.get(CasesService).assign(worker, communityId, lift.id, { assigneeKind: AssigneeKind.GridStaff, assigneeName: 'Zhao Lei' }),
      first.get(PropertyResolutionsService).onServiceRequestResolved(resolution),
    ]);
    const after = await stored(lift.id);
    expect(after).toMatchObject({ status: CaseStatus.Resolved, version: assigned.status === 'fulfilled' ? 3 : 2 });
    expect(after!.history.filter((h) => h.action === CaseAction.Resolve)).toHaveLength(1);
  });

  it('leaves a returned case and a case of another community as they are when a resolution names them', async () => {
    const returned = await file({ category: CaseCategory.PropertyMaintenance, locationKind: CaseLocationKind.Building, locationId: buildingId });
    await cases.returnCase(worker, communityId, returned.id, { reason: 'The lift belongs to the next grid' });
    const service = first.get(PropertyResolutionsService);
    const resolution = (caseId: string, community: string) =>
      newEvent(
        PropertyServiceEvents.serviceRequestResolved,
        { requestId: new Types.ObjectId().toHexString(), caseId, resolvedAt: new Date().toISOString() },
        { communityId: community, actor: 'manager', correlationId: `c-${id}` },
      );
    await service.onServiceRequestResolved(resolution(returned.id, communityId));
    expect(await stored(returned.id)).toMatchObject({ status: CaseStatus.Returned, version: 1 });
    const other = await file();
    await service.onServiceRequestResolved(resolution(other.id, otherCommunityId));
    expect(await stored(other.id)).toMatchObject({ status: CaseStatus.Reported, version: 0 });
  });

  it('keeps the history a chain when sign-fors and returns of a new case race: each step lands at most once', async () => {
    const filed = await file();
    const { winners, losers } = await race(
      Array.from(
        { length: 20 },
        (_, i) => (service: CasesService) =>
          i % 2 === 0
            ? service.accept(worker, communityId, filed.id, {})
            : service.returnCase(worker, communityId, filed.id, { reason: 'The shop belongs to grid 2' }),
      ),
    );
    const after = await stored(filed.id);
    const steps = after!.history.slice(1);
    // A return may follow the sign-for (returning an accepted case is allowed); nothing lands twice.
    expect(winners).toHaveLength(steps.length);
    expect(losers).toHaveLength(20 - steps.length);
    expect(new Set(steps.map((h) => h.action)).size).toBe(steps.length);
    expect(after!.version).toBe(steps.length);
    after!.history.slice(1).forEach((h, k) => expect(h.from).toBe(after!.history[k].to));
    expect(after!.status).toBe(after!.history.at(-1)!.to);
  });

  it('escalates a late case one level per period, once per level, with two instances and across a restart', async () => {
    const filed = await file({ category: CaseCategory.SafetyHazard, urgency: CaseUrgency.Urgent });
    const resolvedOne = await file({ category: CaseCategory.SafetyHazard, urgency: CaseUrgency.Urgent });
    await handleToResolved(resolvedOne.id);
    const due = new Date(filed.dueAt).getTime();
    const sweepBoth = async (at: number) => {
      const taken = await Promise.all([
        first.get(CaseEscalation).sweep(new Date(at)),
        second.get(CaseEscalation).sweep(new Date(at)),
      ]);
      return taken.reduce((a, b) => a + b, 0);
    };
    const escalations = async () =>
      (await cases.get(staff, communityId, filed.id)).history.filter((h) => h.action === CaseAction.Escalate);

    // The escalation inboxes: the area's staff, then the community office's, see the case when it reaches them.
    const staffing = first.get(StaffService);
    const officer = (sub: string): Principal => ({
      sub,
      personId: String(new Types.ObjectId()),
      name: sub,
      roles: [Role.GridWorker],
      communityIds: [communityId],
    });
    const areaOfficer = officer('area-officer');
    const officeWorker = officer('office-worker');
    for (const [who, nodeId] of [[areaOfficer, areaId], [officeWorker, communityId]] as const) {
      await staffing.assign(admin, communityId, { nodeId, position: GridPosition.GridStaff, name: who.name, personId: who.personId });
    }
    const inbox = async (who: Principal, escalation: EscalationLevel) =>
      (await cases.list(who, communityId, { escalation, limit: 200 })).items.map((c) => c.id);

    expect(await sweepBoth(due - 60_000)).toBe(0);
    expect(await inbox(areaOfficer, EscalationLevel.Area)).not.toContain(filed.id);
    await sweepBoth(due + 60_000);
    expect((await cases.get(staff, communityId, filed.id)).escalationLevel).toBe('area');
    expect(await escalations()).toHaveLength(1);
    expect(await inbox(areaOfficer, EscalationLevel.Area)).toContain(filed.id);
    expect(await inbox(officeWorker, EscalationLevel.Area)).not.toContain(filed.id);
    await expect(cases.accept(officeWorker, communityId, filed.id, {})).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await sweepBoth(due + 120_000);
    expect(await escalations()).toHaveLength(1);

    await sweepBoth(due + ESCALATION_PERIOD_MS + 60_000);
    expect((await cases.get(staff, communityId, filed.id)).escalationLevel).toBe('community');
    expect(await escalations()).toHaveLength(2);
    expect(await inbox(officeWorker, EscalationLevel.Community)).toContain(filed.id);
    expect(await inbox(areaOfficer, EscalationLevel.Area)).not.toContain(filed.id);

    await second.close();
    second = await start();
    await sweepBoth(due + 2 * ESCALATION_PERIOD_MS + 60_000);
    await sweepBoth(due + 10 * ESCALATION_PERIOD_MS);
    const top = await cases.get(staff, communityId, filed.id);
    expect(top.escalationLevel).toBe('street');
    expect((await escalations()).map((h) => h.note)).toEqual([
      'late: escalated to the area',
      'late: escalated to the community',
      'late: escalated to the street',
    ]);
    expect((await cases.get(staff, communityId, resolvedOne.id)).escalationLevel).toBe('grid');
    await eventually(
      async () =>
        events.filter(
          (e) =>
            e.type === GridEvents.caseEscalated.type && (e.data as { caseId: string }).caseId === filed.id,
        ).length === 3,
    );
  });

  it('escalates an overdue case once per level when many sweeps run at once on two instances', async () => {
    const filed = await file({ category: CaseCategory.SafetyHazard, urgency: CaseUrgency.Urgent });
    const due = new Date(filed.dueAt).getTime();
    const sweeps = (at: number) =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? first : second).get(CaseEscalation).sweep(new Date(at)),
        ),
      );
    await sweeps(due + 60_000);
    let after = await stored(filed.id);
    expect(after).toMatchObject({ escalationLevel: 1, version: 1 });
    await sweeps(due + ESCALATION_PERIOD_MS + 60_000);
    after = await stored(filed.id);
    expect(after).toMatchObject({ escalationLevel: 2, version: 2 });
    expect(after!.history.filter((h) => h.action === CaseAction.Escalate).map((h) => h.note)).toEqual([
      'late: escalated to the area',
      'late: escalated to the community',
    ]);
    await eventually(async () => published(GridEvents.caseEscalated.type, filed.id) === 2);
    await cases['outbox'].sweep(GridCase.name);
    expect(published(GridEvents.caseEscalated.type, filed.id)).toBe(2);
  });

  it('computes statistics per grid and area that match counts made independently', async () => {
    const hierarchy = first.get(HierarchyService);
    const area = await hierarchy.createArea(admin, communityId, { code: 'A9', name: 'Statistics area' });
    const grid = await hierarchy.createGrid(admin, communityId, {
      areaId: area.id,
      code: 'G9',
      name: 'Statistics grid',
    });
    await first.get(StaffService).assign(admin, communityId, {
      nodeId: grid.id,
      position: GridPosition.GridStaff,
      name: worker.name,
      personId: worker.personId,
    });
    const bulk = await hierarchy.bulkCreateBuildings(admin, communityId, {
      gridId: grid.id,
      buildings: [{ code: 'S1', floors: 2, unitsPerFloor: 2 }],
    });
    const from = new Date(Date.now() - 1000).toISOString();
    const categories = [
      CaseCategory.Noise,
      CaseCategory.Noise,
      CaseCategory.Sanitation,
      CaseCategory.GroupRental,
      CaseCategory.Noise,
      CaseCategory.Other,
    ];
    const filed: CaseView[] = [];
    for (const category of categories) {
      filed.push(
        await file({ category, locationKind: CaseLocationKind.Building, locationId: bulk.buildings[0].id }),
      );
    }
    for (const c of filed.slice(0, 4)) await handleToResolved(c.id);
    await cases.rate(resident, communityId, filed[0].id, { rating: CaseRating.Satisfied });
    await cases.rate(resident, communityId, filed[1].id, { rating: CaseRating.BasicallySatisfied });
    await cases.rate(resident, communityId, filed[2].id, { rating: CaseRating.Dissatisfied });
    await cases.accept(worker, communityId, filed[4].id, {});
    const to = new Date(Date.now() + 1000).toISOString();

    const views = await Promise.all(filed.map((c) => cases.get(staff, communityId, c.id)));
    const count = <K extends string>(key: (v: CaseView) => K) => {
      const m = new Map<K, number>();
      for (const v of views) m.set(key(v), (m.get(key(v)) ?? 0) + 1);
      return m;
    };
    const resolved = views.filter((v) => v.resolvedAt);
    const rated = views.filter((v) => v.status === CaseStatus.Closed);
    const byGrid = await cases.statistics(staff, communityId, { from, to, gridId: grid.id });
    const byArea = await cases.statistics(worker, communityId, { from, to, areaId: area.id });
    expect(byArea).toEqual({ ...byGrid, gridId: undefined, areaId: area.id });
    expect(byGrid.total).toBe(views.length);
    expect(new Map(byGrid.byCategory.map((c) => [c.category, c.count]))).toEqual(count((v) => v.category));
    expect(new Map(byGrid.byStatus.map((s) => [s.status, s.count]))).toEqual(count((v) => v.status));
    expect(byGrid.resolvedCount).toBe(resolved.length);
    expect(byGrid.onTimeRate).toBe('100.00');
    expect(byGrid.satisfactionRate).toBe(
      ((100 * rated.filter((v) => v.rating !== CaseRating.Dissatisfied).length) / rated.length).toFixed(2),
    );
    expect(byGrid.reopenedRate).toBe(
      ((100 * views.filter((v) => v.reopenCount > 0).length) / views.length).toFixed(2),
    );
    expect(byGrid.averageResolveHours).toBe('0.00');
    const community = await cases.statistics(staff, communityId, { from: new Date(0).toISOString(), to });
    expect(community.total).toBeGreaterThan(byGrid.total);
  });

  it("refuses staff of another community access to this community's cases", async () => {
    const filed = await file();
    const outsider: Principal = {
      sub: 'outsider',
      name: 'Out',
      roles: [Role.CommunityStaff],
      communityIds: [otherCommunityId],
    };
    expect(await codeOf(cases.get(outsider, communityId, filed.id))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(cases.accept(outsider, communityId, filed.id, {}))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(cases.get(outsider, otherCommunityId, filed.id))).toBe(ErrorCode.NOT_FOUND);
    expect(await codeOf(cases.accept(outsider, otherCommunityId, filed.id, {}))).toBe(ErrorCode.NOT_FOUND);
  });

  it('lets a grid worker see and act on the cases of the grids they staff only', async () => {
    const hierarchy = first.get(HierarchyService);
    const otherGrid = await hierarchy.createGrid(admin, communityId, { areaId, code: 'G7', name: 'Grid 7' });
    const stranger: Principal = {
      sub: 'worker-7',
      personId: String(new Types.ObjectId()),
      name: 'Sun Li',
      roles: [Role.GridWorker],
      communityIds: [communityId],
    };
    await first.get(StaffService).assign(admin, communityId, {
      nodeId: otherGrid.id,
      position: GridPosition.GridStaff,
      name: stranger.name,
      personId: stranger.personId,
    });
    const filed = await file();
    await expect(cases.accept(stranger, communityId, filed.id, {})).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await expect(cases.get(stranger, communityId, filed.id)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    const seen = await cases.list(stranger, communityId, { limit: 200 });
    expect(seen.items.map((c) => c.id)).not.toContain(filed.id);
    // The grid's own worker signs for it; community staff see it too.
    await cases.accept(worker, communityId, filed.id, {});
    expect((await cases.list(worker, communityId, { gridId, limit: 200 })).items.map((c) => c.id)).toContain(filed.id);
    expect((await cases.get(staff, communityId, filed.id)).id).toBe(filed.id);
  });

  it('shows residents only the cases they filed', async () => {
    await file({}, neighbour);
    const mine = await cases.list(neighbour, communityId, { limit: 200 });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((c) => c.reporter.sub === 'neighbour')).toBe(true);
    const all = await cases.list(staff, communityId, { limit: 200, gridId, status: [CaseStatus.Reported] });
    expect(all.items.every((c) => c.gridId === gridId && c.status === CaseStatus.Reported)).toBe(true);
    expect(all.items.some((c) => c.reporter.sub === 'resident')).toBe(true);
  });
});
