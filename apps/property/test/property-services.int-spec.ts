import { INestApplication } from '@nestjs/common';
import {
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridEvents,
  MembershipEvents,
  Principal,
  PropertyCaseOpenedData,
  PropertyServiceEvents,
  Relation,
  ResidentRegisteredData,
  Role,
  ServiceName,
  ServiceRequestAction,
  ServiceRequestCategory,
  ServiceRequestResolvedData,
  ServiceRequestOrigin,
  ServiceRequestStatus,
  newEvent,
} from '@cg/contracts';
import { DurableConsumers, EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Types } from 'mongoose';
import { PropertyAppModule } from '../src/app.module';
import { CompaniesService, chinaDay } from '../src/companies/companies.service';
import { ResidencyRepository } from '@cg/residency';
import { SatisfactionService } from '../src/satisfaction/satisfaction.service';
import { ServiceRequest } from '../src/service-requests/service-request.schema';
import { ServiceRequestsRepository } from '../src/service-requests/service-requests.repository';
import { ServiceRequestsService } from '../src/service-requests/service-requests.service';
import { newId } from './ownership-events';

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    return error.code;
  }
}

describe('the property company, service requests and surveys against real servers', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Property, id);
  const communityId = newId();
  const [b1, b2] = [newId(), newId()];
  const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };
  const staff: Principal = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const manager: Principal = { sub: 'pm', name: 'Wang Fang', roles: [Role.PropertyManager], communityIds: [communityId] };
  const committee: Principal = { sub: 'oc', name: 'Zhou Min', roles: [Role.OwnersCommitteeMember], communityIds: [communityId] };
  const person = (name: string): Principal => ({ sub: `acct-${name}`, personId: newId(), name, roles: [Role.Resident], communityIds: [communityId] });
  const [alice, bob, carol, stranger] = [person('alice'), person('bob'), person('carol'), person('stranger')];
  let app: INestApplication;
  let requests: ServiceRequestsService;
  let companies: CompaniesService;
  let satisfaction: SatisfactionService;
  let publisher: EventPublisher;
  let companyId: string;
  const resolutions: EventEnvelope<ServiceRequestResolvedData>[] = [];

  const residentRegistered = (who: Principal, buildingId: string) =>
    newEvent<ResidentRegisteredData>(
      MembershipEvents.residentRegistered,
      { personId: who.personId!, name: who.name, unitId: newId(), buildingId, gridId: newId(), relation: Relation.Owner },
      { communityId, actor: 'membership', correlationId: `corr-${who.name}` },
    );
  const caseOpened = (caseId: string, category = 'property_maintenance') =>
    newEvent<PropertyCaseOpenedData>(
      GridEvents.propertyCaseOpened,
      { caseId, category, description: 'Water leaks from the ceiling of the stairwell', buildingId: b2, gridId: newId(), reportedAt: new Date().toISOString() },
      { communityId, actor: 'grid', correlationId: `corr-${caseId}` },
    );

  beforeAll(async () => {
    app = await startServiceApp(PropertyAppModule.register(config), config);
    requests = app.get(ServiceRequestsService);
    companies = app.get(CompaniesService);
    satisfaction = app.get(SatisfactionService);
    publisher = app.get(EventPublisher);
    for (const [who, building] of [[alice, b1], [bob, b1], [carol, b2]] as const) await publisher.publish(residentRegistered(who, building));
    const residences = app.get(ResidencyRepository);
    await eventually(async () => residences.findInCommunity(new Types.ObjectId(communityId), new Types.ObjectId(carol.personId)));
    const company = await companies.create(admin, {
      name: 'Green Harbour Property Services',
      creditCode: `91310104MA1FL${id.slice(0, 5).toUpperCase().replace(/[^0-9A-H]/g, '7')}`,
      partyBranch: { name: 'Party branch of Green Harbour', members: 9 },
    });
    companyId = company.id;
    await app.get(DurableConsumers).start({
      durable: `property-test-${id}-resolved`,
      event: PropertyServiceEvents.serviceRequestResolved,
      handle: async (event) => void resolutions.push(event),
    });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('the company and its contract', () => {
    it('records the contract period and shows the company serving the community today, with its party branch and programmes', async () => {
      const today = new Date();
      const startsOn = chinaDay(new Date(today.getTime() - 400 * 86_400_000));
      const endsOn = chinaDay(new Date(today.getTime() + 400 * 86_400_000));
      await companies.recordContract(staff, communityId, { companyId, startsOn, endsOn });
      await companies.createProgramme(manager, communityId, { name: 'Handyman Saturdays', kind: 'handyman' as never, schedule: 'Saturdays 9-12' });
      const current = await companies.current(alice, communityId);
      expect(current.company).toMatchObject({ id: companyId, partyBranch: { name: 'Party branch of Green Harbour', members: 9 } });
      expect(current.contract).toMatchObject({ startsOn, endsOn, companyName: 'Green Harbour Property Services' });
      expect(current.programmes.map((p) => p.name)).toEqual(['Handyman Saturdays']);
    });

    it('refuses a second contract sharing a day with the first, and lets exactly one of two overlapping contracts recorded at once in', async () => {
      const clash = companies.recordContract(staff, communityId, { companyId, startsOn: '2000-01-01', endsOn: chinaDay(new Date()) });
      expect(await codeOf(clash)).toBe(ErrorCode.CONFLICT);
      const outcomes = await Promise.all([
        codeOf(companies.recordContract(staff, communityId, { companyId, startsOn: '2040-01-01', endsOn: '2040-12-31' })),
        codeOf(companies.recordContract(staff, communityId, { companyId, startsOn: '2040-06-01', endsOn: '2041-05-31' })),
      ]);
      expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
      expect(outcomes.filter((o) => o === ErrorCode.CONFLICT)).toHaveLength(1);
    });
  });

  describe('service requests', () => {
    const openRepair = () => requests.open(alice, communityId, { category: ServiceRequestCategory.Repair, description: 'The kitchen tap leaks' });

    it('opens a request for a resident in their building, with deadlines, for the company under contract', async () => {
      const opened = await openRepair();
      expect(opened).toMatchObject({
        origin: ServiceRequestOrigin.Resident,
        status: ServiceRequestStatus.Open,
        buildingId: b1,
        requesterPersonId: alice.personId,
        companyId,
        version: 1,
        overdue: false,
      });
      expect(new Date(opened.resolveBy).getTime() - new Date(opened.openedAt).getTime()).toBe(48 * 3600_000);
      expect(await codeOf(requests.open(stranger, communityId, { category: ServiceRequestCategory.Cleaning, description: 'x' }))).toBe(ErrorCode.NOT_ELIGIBLE);
    });

    it('refuses illegal steps, steps by the wrong side and stale versions', async () => {
      const { id: requestId } = await openRepair();
      expect(await codeOf(requests.step(manager, communityId, requestId, { action: ServiceRequestAction.Resolve }))).toBe(ErrorCode.INVALID_TRANSITION);
      expect(await codeOf(requests.step(alice, communityId, requestId, { action: ServiceRequestAction.Accept }))).toBe(ErrorCode.FORBIDDEN);
      expect(await codeOf(requests.step(manager, communityId, requestId, { action: ServiceRequestAction.Accept, version: 7 }))).toBe(ErrorCode.CONFLICT);
      expect(await codeOf(requests.rate(alice, communityId, requestId, { score: 5 }))).toBe(ErrorCode.INVALID_TRANSITION);
    });

    it('lets exactly one of 40 concurrent steps on one request through, and records only that step', async () => {
      const { id: requestId } = await openRepair();
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 2 === 0
            ? codeOf(requests.step(manager, communityId, requestId, { action: ServiceRequestAction.Accept, handler: `Handler ${i}` }))
            : codeOf(requests.step(staff, communityId, requestId, { action: ServiceRequestAction.Cancel, version: 1 })),
        ),
      );
      expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
      // A loser that read the request before the winner's step is a CONFLICT; one that read it after may find its step illegal.
      expect(outcomes.filter((o) => o === ErrorCode.CONFLICT || o === ErrorCode.INVALID_TRANSITION)).toHaveLength(39);
      const after = await requests.get(alice, communityId, requestId);
      expect(after.version).toBe(2);
      expect(after.history.map((h) => h.action)).toHaveLength(2);
      const winner = outcomes.findIndex((o) => o === undefined);
      expect(after.status).toBe(winner % 2 === 0 ? ServiceRequestStatus.Accepted : ServiceRequestStatus.Cancelled);
      if (winner % 2 === 0) expect(after.handler).toBe(`Handler ${winner}`);
    });

    it('runs to resolution and closes with the resident rating', async () => {
      const { id: requestId } = await openRepair();
      await requests.step(manager, communityId, requestId, { action: ServiceRequestAction.Accept, handler: 'Zhang' });
      await requests.step(manager, communityId, requestId, { action: ServiceRequestAction.Start });
      await requests.step(manager, communityId, requestId, { action: ServiceRequestAction.Resolve, note: 'Replaced the washer' });
      expect(await codeOf(requests.step(manager, communityId, requestId, { action: ServiceRequestAction.Close }))).toBe(ErrorCode.INVALID_TRANSITION);
      expect(await codeOf(requests.rate(bob, communityId, requestId, { score: 1 }))).toBe(ErrorCode.FORBIDDEN);
      const rated = await requests.rate(alice, communityId, requestId, { score: 4, comment: 'Quick and tidy' });
      expect(rated).toMatchObject({ status: ServiceRequestStatus.Closed, version: 5, resolvedOnTime: true, rating: { score: 4, comment: 'Quick and tidy' } });
      expect(rated.history.map((h) => h.action)).toEqual(['open', 'accept', 'start', 'resolve', 'close']);
      expect(await codeOf(requests.rate(alice, communityId, requestId, { score: 5 }))).toBe(ErrorCode.INVALID_TRANSITION);
    });

    it('shows a resident only their own requests', async () => {
      const { id: requestId } = await openRepair();
      expect(await codeOf(requests.get(bob, communityId, requestId))).toBe(ErrorCode.FORBIDDEN);
      expect((await requests.list(bob, communityId, {})).items).toEqual([]);
      expect((await requests.list(alice, communityId, {})).items.map((r) => r.id)).toContain(requestId);
    });

    it("opens one request from grid's property case however often the event arrives, linked to the case", async () => {
      const caseId = newId();
      const first = caseOpened(caseId);
      await publisher.publish(first);
      // The same case again under a new event id (a re-publish), and the same event handled once more (a redelivery).
      await publisher.publish(caseOpened(caseId));
      await requests.onPropertyCaseOpened(first);
      const marker = newId();
      await publisher.publish(caseOpened(marker, 'sanitation'));
      const all = await eventually(async () => {
        const page = await requests.list(staff, communityId, { limit: 200 });
        return page.items.some((r) => r.caseId === marker) && page.items;
      });
      const fromCase = all.filter((r) => r.caseId === caseId);
      expect(fromCase).toHaveLength(1);
      expect(fromCase[0]).toMatchObject({ origin: ServiceRequestOrigin.GridCase, category: ServiceRequestCategory.Repair, buildingId: b2, companyId });
      expect(all.find((r) => r.caseId === marker)!.category).toBe(ServiceRequestCategory.Cleaning);
      // Nobody can rate a case's request: staff close it once resolved.
      await requests.step(manager, communityId, fromCase[0].id, { action: ServiceRequestAction.Accept });
      await requests.step(manager, communityId, fromCase[0].id, { action: ServiceRequestAction.Resolve });
      const closed = await requests.step(staff, communityId, fromCase[0].id, { action: ServiceRequestAction.Close });
      expect(closed.status).toBe(ServiceRequestStatus.Closed);
    });

    it('keeps requests inside their community', async () => {
      const { id: requestId } = await openRepair();
      const other = newId();
      const outsider: Principal = { ...staff, communityIds: [other] };
      expect(await codeOf(requests.get(outsider, communityId, requestId))).toBe(ErrorCode.FORBIDDEN);
      expect(await codeOf(requests.get(outsider, other, requestId))).toBe(ErrorCode.NOT_FOUND);
    });
  });

  describe('satisfaction surveys and the evaluation', () => {
    const period = (() => {
      const day = chinaDay(new Date());
      return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
    })();

    it('takes one answer per resident, reports by building and feeds the evaluation', async () => {
      const survey = await satisfaction.open(staff, communityId, { period });
      expect(survey).toMatchObject({ companyId, period, status: 'open' });
      expect(await codeOf(satisfaction.open(committee, communityId, { period }))).toBe(ErrorCode.DUPLICATE);
      const answers = await Promise.all([
        codeOf(satisfaction.respond(alice, communityId, survey.id, { score: 5 })),
        codeOf(satisfaction.respond(alice, communityId, survey.id, { score: 1 })),
      ]);
      expect(answers.sort()).toEqual([ErrorCode.DUPLICATE, undefined].sort());
      await satisfaction.respond(bob, communityId, survey.id, { score: 4 });
      await satisfaction.respond(carol, communityId, survey.id, { score: 2, comment: 'Stairwell is dirty' });
      expect(await codeOf(satisfaction.respond(stranger, communityId, survey.id, { score: 3 }))).toBe(ErrorCode.NOT_ELIGIBLE);
      await satisfaction.close(staff, communityId, survey.id);
      expect(await codeOf(satisfaction.respond(carol, communityId, survey.id, { score: 3 }))).toBe(ErrorCode.OUTSIDE_WINDOW);

      const results = await satisfaction.results(manager, communityId, survey.id);
      expect(results.buildings).toEqual([
        { buildingId: b2, responses: 1, averageScore: '2.00', satisfiedPercent: '0.00' },
        { buildingId: b1, responses: 2, averageScore: expect.stringMatching(/^(4\.50|2\.50)$/), satisfiedPercent: expect.any(String) },
      ]);
      expect(results.overall.responses).toBe(3);

      const evaluation = await satisfaction.evaluate(committee, communityId, companyId, period);
      expect(evaluation).toMatchObject({ requestsResolved: 2, requestsResolvedOnTime: 2, ratings: 1, surveyResponses: 3 });
      expect(evaluation.components.map((c) => c.name)).toEqual(['satisfaction', 'timeliness', 'ratings']);
      expect(evaluation.components[1].score).toBe('100.00');
      expect(evaluation.components[2].score).toBe('80.00');
      expect(evaluation.grade).toMatch(/^[ABCD]$/);
    });
  });
  // Last, so the resolutions here stay out of the company's evaluation above.
  describe('resolutions of requests opened from grid cases', () => {
    it("publishes one resolution naming the grid case when two resolves of the request race", async () => {
      const caseId = newId();
      await requests.onPropertyCaseOpened(caseOpened(caseId));
      const opened = await eventually(async () => (await requests.list(staff, communityId, { limit: 200 })).items.find((r) => r.caseId === caseId));
      await requests.step(manager, communityId, opened.id, { action: ServiceRequestAction.Accept, handler: 'Zhang, plumber' });
      const outcomes = await Promise.all([1, 2].map(() => codeOf(requests.step(manager, communityId, opened.id, { action: ServiceRequestAction.Resolve, version: 2 }))));
      expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
      const event = await eventually(async () => resolutions.find((e) => e.data.requestId === opened.id));
      expect(event).toMatchObject({ communityId, data: { caseId, handler: 'Zhang, plumber' } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(resolutions.filter((e) => e.data.requestId === opened.id)).toHaveLength(1);
    });

    it('publishes a resolution written by a process that stopped before publishing it, once the outbox is swept', async () => {
      const caseId = newId();
      await requests.onPropertyCaseOpened(caseOpened(caseId));
      const opened = await eventually(async () => (await requests.list(staff, communityId, { limit: 200 })).items.find((r) => r.caseId === caseId));
      const stored = await app.get(ServiceRequestsRepository).findOne({ communityId: new Types.ObjectId(communityId), _id: new Types.ObjectId(opened.id) });
      const now = new Date();
      const event = newEvent(
        PropertyServiceEvents.serviceRequestResolved,
        { requestId: opened.id, caseId, resolvedAt: now.toISOString() },
        { communityId, actor: 'manager', correlationId: `corr-${caseId}` },
      );
      // The resolve's own write, with no delivery after it: as if the process stopped right there.
      const landed = await app
        .get(ServiceRequestsRepository)
        .step(stored!, { status: ServiceRequestStatus.Resolved, resolvedAt: now }, { action: 'resolve', from: stored!.status, to: ServiceRequestStatus.Resolved, by: 'manager', at: now }, [event]);
      expect(landed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(resolutions.some((e) => e.id === event.id)).toBe(false);
      await requests['outbox'].sweep(ServiceRequest.name);
      await eventually(async () => resolutions.some((e) => e.id === event.id));
      await requests['outbox'].sweep(ServiceRequest.name);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(resolutions.filter((e) => e.id === event.id)).toHaveLength(1);
    });
  });
});
