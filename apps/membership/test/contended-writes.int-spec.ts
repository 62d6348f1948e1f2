import { INestApplication } from '@nestjs/common';
import {
  BodyKind,
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridRpc,
  ImportStatus,
  DualRegistrationStatus,
  MembershipEvents,
  MembershipOwnerEvents,
  OwnershipRecordedData,
  OwnershipView,
  PartyMemberStatus,
  PositionKind,
  Principal,
  Relation,
  ResidentMovedData,
  Role,
  ServiceName,
  UnitView,
} from '@cg/contracts';
import { DurableConsumers, RpcClient, UploadStore, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Types } from 'mongoose';
import { MembershipAppModule } from '../src/app.module';
import { BodiesService } from '../src/bodies/bodies.service';
import { ImportJobsRepository } from '../src/imports/import-jobs.repository';
import { HEARTBEAT_EXPIRY_MS, ImportJobsService } from '../src/imports/import-jobs.service';
import { ImportsService } from '../src/imports/imports.service';
import { OwnershipService } from '../src/ownership/ownership.service';
import { PartyService } from '../src/party/party.service';
import { ResidencesService } from '../src/residents/residences.service';
import { ResidentsRepository } from '../src/residents/residents.repository';
import { ResidentsService } from '../src/residents/residents.service';

const oid = () => new Types.ObjectId().toHexString();

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainException) return error.code;
    throw error;
  }
}

describe('contended writes are decided by one conditional write each', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Membership, id);
  const communityId = oid();
  const community = new Types.ObjectId(communityId);
  const staff: Principal = { sub: 'staff', name: 'Staff', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const moves: EventEnvelope<ResidentMovedData>[] = [];
  const recorded: EventEnvelope<OwnershipRecordedData>[] = [];
  const apps: INestApplication[] = [];
  let app: INestApplication;
  const buildingId = oid();
  const gridId = oid();

  async function resident(name: string): Promise<string> {
    const personId = new Types.ObjectId();
    await app.get(ResidentsRepository).insert({
      _id: personId,
      communityId: community,
      name,
      phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      unitId: new Types.ObjectId(),
      buildingId: new Types.ObjectId(buildingId),
      gridId: new Types.ObjectId(gridId),
      relation: Relation.Tenant,
      registeredAt: new Date(Date.UTC(2024, 0, 1)),
      outbox: [],
    });
    return String(personId);
  }

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) apps.push(await startServiceApp(MembershipAppModule.register(config), config));
    [app] = apps;
    // Grid answers every unit as one of this community's, in the same building.
    const rpc = app.get(RpcClient);
    const send = rpc.send.bind(rpc);
    jest.spyOn(rpc, 'send').mockImplementation(((subject: { subject: string }, req: { unitId: string }, options?: unknown) =>
      subject.subject === GridRpc.getUnit.subject
        ? Promise.resolve<UnitView>({ id: req.unitId, communityId, code: req.unitId.slice(-4), floor: 1, buildingId, buildingCode: 'B1', gridId, areaId: oid() })
        : send(subject as never, req as never, options as never)) as never);
    await app.get(DurableConsumers).start({
      durable: `test-contended-owners-${id}`,
      event: MembershipOwnerEvents.ownershipRecorded,
      handle: async (event) => {
        if (event.communityId === communityId) recorded.push(event);
      },
    });
    await app.get(DurableConsumers).start({
      durable: `test-contended-moves-${id}`,
      event: MembershipEvents.residentMoved,
      handle: async (event) => {
        if (event.communityId === communityId) moves.push(event);
      },
    });
  });

  afterAll(async () => {
    for (const a of apps.reverse()) await a.close();
  });

  it('records 50 concurrent moves of one resident as one consistent history, each event published once', async () => {
    const personId = await resident('Sun Li');
    const units = Array.from({ length: 50 }, () => oid());

    const views = await Promise.all(units.map((unitId) => app.get(ResidencesService).move(staff, communityId, personId, { unitId })));

    expect(views.map((v) => v.revision ?? 0).sort((a, b) => a - b)).toEqual(units.map((_, i) => i + 1));
    const current = await app.get(ResidentsService).get(staff, communityId, personId);
    const last = views.find((v) => v.revision === 50)!;
    expect(current).toMatchObject({ revision: 50, unitId: last.unitId });
    const history = await app.get(ResidencesService).history(staff, communityId, personId);
    expect(history.periods).toHaveLength(51);
    expect(history.periods.filter((p) => p.until === undefined)).toHaveLength(1);
    expect(history.periods[50].unitId).toBe(last.unitId);
    for (let i = 1; i < 51; i++) expect(history.periods[i - 1].until).toBe(history.periods[i].from);
    expect(history.periods.slice(1).map((p) => p.unitId).sort()).toEqual([...units].sort());

    const events = await eventually(async () => {
      const mine = moves.filter((e) => e.data.personId === personId);
      return mine.length >= 50 && mine;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(moves.filter((e) => e.data.personId === personId)).toHaveLength(50);
    const byRevision = [...events].sort((a, b) => a.data.revision - b.data.revision);
    expect(byRevision.map((e) => e.data.revision)).toEqual(units.map((_, i) => i + 1));
    for (let i = 1; i < 50; i++) expect(byRevision[i].data.from).toEqual(byRevision[i - 1].data.to);
  });

  it('lets exactly one of 50 moves expecting the same revision win', async () => {
    const personId = await resident('Qian Hua');
    const codes = await Promise.all(
      Array.from({ length: 50 }, () => codeOf(app.get(ResidencesService).move(staff, communityId, personId, { unitId: oid(), expectedRevision: 0 }))),
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === ErrorCode.CONFLICT)).toHaveLength(49);
    const history = await app.get(ResidencesService).history(staff, communityId, personId);
    expect(history.periods).toHaveLength(2);
  });

  it('gives a chair to one of two people appointed at the same time', async () => {
    const bodies = app.get(BodiesService);
    const body = await bodies.create(staff, communityId, { kind: BodyKind.ResidentsCommittee, name: `Committee ${id}` });
    const a = await resident('Zhou Min');
    const b = await resident('Wu Gang');
    const codes = await Promise.all(
      [a, b].map((personId) => codeOf(bodies.appoint(staff, communityId, body.id, { personId, position: PositionKind.Chair, from: '2025-01-01' }))),
    );
    expect(codes.sort()).toEqual([ErrorCode.ALREADY_TAKEN, 'ok'].sort());
    const terms = await bodies.terms(staff, communityId, body.id, {});
    expect(terms.items).toHaveLength(1);
    expect([a, b]).toContain(terms.items[0].personId);
  });

  it('appoints 20 members at the same time, each once', async () => {
    const bodies = app.get(BodiesService);
    const body = await bodies.create(staff, communityId, { kind: BodyKind.ResidentsCommittee, name: `Members ${id}` });
    const people = await Promise.all(Array.from({ length: 20 }, (_, i) => resident(`Member ${i}`)));
    const codes = await Promise.all(
      [...people, people[0]].map((personId) =>
        codeOf(bodies.appoint(staff, communityId, body.id, { personId, position: PositionKind.Member, from: '2025-01-01' })),
      ),
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(20);
    expect(codes.filter((c) => c === ErrorCode.DUPLICATE)).toHaveLength(1);
    const terms = await bodies.terms(staff, communityId, body.id, { limit: 100 });
    expect(terms.items.map((t) => t.personId).sort()).toEqual([...people].sort());
  });

  it('decides a registration request once when two staff decide it at the same time', async () => {
    const party = app.get(PartyService);
    const personId = await resident('Zheng Yu');
    await party.save(staff, communityId, personId, {
      workplaceOrganisation: 'Party branch of the district hospital',
      joinedOn: '2008-07-01',
      status: PartyMemberStatus.InService,
    });
    await party.requestRegistration(staff, communityId, personId);
    const codes = await Promise.all(
      [true, false].map((approve) => codeOf(party.decideRegistration(staff, communityId, personId, { approve }))),
    );
    expect(codes.sort()).toEqual([ErrorCode.INVALID_TRANSITION, 'ok'].sort());
    const member = await party.get(staff, communityId, personId);
    expect([DualRegistrationStatus.Approved, DualRegistrationStatus.Rejected]).toContain(member.registration);
  });

  it('gives each revision of a unit to one of 20 owners recorded at the same time, each with its event once', async () => {
    const ownership = app.get(OwnershipService);
    const unitId = oid();
    const owners = await Promise.all(Array.from({ length: 20 }, (_, i) => resident(`Owner ${i}`)));
    const results = await Promise.all(
      owners.map((personId) =>
        ownership.record(staff, communityId, unitId, { ownerPersonIds: [personId], registerArea: '88.00' }).then(
          (view) => view,
          (error: DomainException) => error.code,
        ),
      ),
    );
    const won = results.filter((r): r is OwnershipView => typeof r !== 'string');
    expect(results.filter((r) => typeof r === 'string').every((code) => code === ErrorCode.CONFLICT)).toBe(true);
    expect(won.map((v) => v.revision).sort((a, b) => a - b)).toEqual(won.map((_, i) => i + 1));
    const stored = await ownership.get(staff, communityId, unitId);
    expect(stored.revision).toBe(won.length);
    expect(stored.owners.map((o) => o.personId)).toEqual(won.find((v) => v.revision === won.length)!.owners.map((o) => o.personId));
    const events = await eventually(async () => {
      const mine = recorded.filter((e) => e.data.unitId === unitId);
      return mine.length >= won.length && mine;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(recorded.filter((e) => e.data.unitId === unitId)).toHaveLength(won.length);
    expect(events.map((e) => e.data.revision).sort((a, b) => a - b)).toEqual(won.map((_, i) => i + 1));
  });

  describe('import workers', () => {
    const report = { rows: 1, residentsCreated: 1, residentsExisting: 0, ownershipsRecorded: 0, ownershipsUnchanged: 0 };
    let executions: jest.SpyInstance[];

    async function queued(overrides: Record<string, unknown> = {}): Promise<Types.ObjectId> {
      const upload = `import-${oid()}`;
      await app.get(UploadStore).put(upload, new TextEncoder().encode('building,unit,name,phone,relation\nB1,101,Li,13800000000,tenant\n'));
      const _id = new Types.ObjectId();
      await app.get(ImportJobsRepository).insert({
        _id,
        communityId: community,
        upload,
        status: ImportStatus.Queued,
        rows: 1,
        bytes: 60,
        submitter: staff,
        submittedAt: new Date(),
        attempts: 0,
        ...overrides,
      });
      return _id;
    }

    beforeAll(() => {
      executions = apps.map((a) => jest.spyOn(a.get(ImportsService), 'execute').mockResolvedValue(report));
    });

    afterAll(() => executions.forEach((spy) => spy.mockRestore()));

    beforeEach(() => executions.forEach((spy) => spy.mockClear()));

    const calls = () => executions.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

    it('lets one of two workers claiming the same import run it', async () => {
      const importId = await queued();
      const ran = await Promise.all(apps.map((a) => a.get(ImportJobsService).run(importId)));
      expect(ran.filter(Boolean)).toHaveLength(1);
      expect(calls()).toBe(1);
      expect(await app.get(ImportJobsService).get(staff, communityId, String(importId))).toMatchObject({ status: 'completed', attempts: 1, report });
    });

    it('gives one import to exactly one of 50 claims at once', async () => {
      const importId = await queued();
      const now = new Date();
      const expired = new Date(now.getTime() - HEARTBEAT_EXPIRY_MS);
      const claims = await Promise.all(
        Array.from({ length: 50 }, (_, i) => app.get(ImportJobsRepository).claim(importId, `worker-${i}`, now, expired)),
      );
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
    });

    it('takes over an import whose worker stopped once its heartbeat has expired, and not before', async () => {
      const stale = new Date(Date.now() - HEARTBEAT_EXPIRY_MS - 1000);
      const crashed = await queued({ status: ImportStatus.Running, worker: 'crashed', heartbeatAt: stale, startedAt: stale, attempts: 1 });
      const alive = await queued({ status: ImportStatus.Running, worker: 'alive', heartbeatAt: new Date(), startedAt: new Date(), attempts: 1 });

      const ran = await Promise.all([crashed, alive].map((importId) => apps[1].get(ImportJobsService).run(importId)));

      expect(ran).toEqual([true, false]);
      expect(calls()).toBe(1);
      expect(await app.get(ImportJobsService).get(staff, communityId, String(crashed))).toMatchObject({
        status: 'completed',
        attempts: 2,
        startedAt: stale.toISOString(),
      });
      expect(await app.get(ImportJobsService).get(staff, communityId, String(alive))).toMatchObject({ status: 'running', attempts: 1 });
    });
  });
});
