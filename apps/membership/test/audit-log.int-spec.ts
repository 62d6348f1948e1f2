import { INestApplication } from '@nestjs/common';
import {
  DomainException,
  ErrorCode,
  GridRpc,
  MembershipOwnerEvents,
  NUMBERS_REVEALED_ACTION,
  Principal,
  Relation,
  RevealPurpose,
  Role,
  ServiceName,
  UnitView,
  newEvent,
} from '@cg/contracts';
import { NatsConnection, RpcClient, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { MembershipAppModule } from '../src/app.module';
import { AuditRepository } from '../src/audit/audit.repository';
import { AuditService } from '../src/audit/audit.service';
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

describe('the audit log and unique ID numbers', () => {
  const config = testServiceConfig(ServiceName.Membership, runId());
  const communityId = oid();
  const staff: Principal = {
    sub: 'staff',
    name: 'Staff',
    roles: [Role.CommunityStaff],
    communityIds: [communityId],
  };
  let db: Connection;
  let app: INestApplication;

  async function start(): Promise<INestApplication> {
    const started = await startServiceApp(MembershipAppModule.register(config), config);
    // Grid answers every unit as one of the community's.
    const rpc = started.get(RpcClient);
    const send = rpc.send.bind(rpc);
    jest
      .spyOn(rpc, 'send')
      .mockImplementation(((
        subject: { subject: string },
        req: { communityId: string; unitId: string },
        options?: unknown,
      ) =>
        subject.subject === GridRpc.getUnit.subject
          ? Promise.resolve<UnitView>({
              id: req.unitId,
              communityId: req.communityId,
              code: '101',
              floor: 1,
              buildingId: oid(),
              buildingCode: 'B1',
              gridId: oid(),
              areaId: oid(),
            })
          : send(subject as never, req as never, options as never)) as never);
    return started;
  }

  beforeAll(async () => {
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    app = await start();
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  function ownershipRecorded(unitId: string) {
    return newEvent(
      MembershipOwnerEvents.ownershipRecorded,
      {
        unitId,
        buildingId: oid(),
        gridId: oid(),
        exclusiveArea: '89.50',
        areaSource: 'register' as const,
        ownerPersonIds: [oid()],
        voterPersonId: oid(),
        headcountKey: oid(),
        revision: 1,
      },
      { communityId, actor: 'staff', correlationId: 'audit-1' },
    );
  }

  async function publish(event: ReturnType<typeof ownershipRecorded>, msgID: string): Promise<void> {
    await app
      .get(NatsConnection)
      .js.publish(event.type, new TextEncoder().encode(JSON.stringify(event)), { msgID });
  }

  const entriesWithId = (id: string) => db.collection('audit_entries').countDocuments({ _id: id as never });

  it('records an audited event exactly once however often it is delivered, across a restart of the consumer', async () => {
    const unitId = oid();
    const event = ownershipRecorded(unitId);
    // Distinct message ids get past JetStream's de-duplication: the consumer itself sees the event twice.
    await publish(event, `${event.id}:1`);
    await publish(event, `${event.id}:2`);
    await eventually(async () => (await entriesWithId(event.id)) === 1);

    await app.close();
    app = await start();
    await publish(event, `${event.id}:3`);
    const marker = ownershipRecorded(oid());
    await publish(marker, marker.id);
    await eventually(async () => (await entriesWithId(marker.id)) === 1);

    expect(await entriesWithId(event.id)).toBe(1);
    const entry = await db.collection('audit_entries').findOne({ _id: event.id as never });
    expect(entry).toMatchObject({
      action: 'evt.membership.ownership.recorded',
      actor: 'staff',
      object: { kind: 'unit', id: unitId },
      summary: 'Ownership recorded: 89.50 m², 1 owner(s), revision 1',
    });
    expect(String(entry!.communityId)).toBe(communityId);
  });

  it('lets exactly one of two concurrent registrations with the same ID number in, the other is ID_NUMBER_TAKEN', async () => {
    const residents = app.get(ResidentsService);
    const register = (phone: string, idNumber?: string) =>
      residents.register(staff, communityId, {
        name: 'Li Ming',
        phone,
        unitId: oid(),
        relation: Relation.Tenant,
        ...(idNumber && { idNumber }),
      });

    const codes = await Promise.all([
      codeOf(register('13800001001', '310104198001011239')),
      codeOf(register('13800001002', '310104198001011239')),
    ]);

    expect(codes.sort()).toEqual([ErrorCode.ID_NUMBER_TAKEN, 'ok']);
    expect(await db.collection('residents').countDocuments({ idNumber: '310104198001011239' })).toBe(1);
  });

  it('lets many residents without an ID number in, and the same ID number into another community', async () => {
    const residents = app.get(ResidentsService);
    for (const phone of ['13800002001', '13800002002']) {
      await residents.register(staff, communityId, {
        name: 'Wang Fang',
        phone,
        unitId: oid(),
        relation: Relation.Tenant,
      });
    }
    const other = oid();
    const elsewhere = { ...staff, communityIds: [other] };
    expect(
      await codeOf(
        residents.register(elsewhere, other, {
          name: 'Li Ming',
          phone: '13800001001',
          unitId: oid(),
          relation: Relation.Tenant,
          idNumber: '310104198001011239',
        }),
      ),
    ).toBe('ok');
  });

  it('reveals nothing when the audit entry of a reveal cannot be written', async () => {
    const resident = await app
      .get(ResidentsService)
      .register(staff, communityId, {
        name: 'Zhou Qi',
        phone: '13800004001',
        unitId: oid(),
        relation: Relation.Tenant,
        idNumber: '11010519491231002X',
      });
    const repository = app.get(AuditRepository);
    const insert = repository.insert.bind(repository);
    // Only the reveal's write fails; the audit consumer's writes of the registration go through.
    const failing = jest
      .spyOn(repository, 'insert')
      .mockImplementation((entry) =>
        entry.action === NUMBERS_REVEALED_ACTION
          ? Promise.reject(new Error('database unreachable'))
          : insert(entry),
      );
    const reveal = app
      .get(AuditService)
      .reveal(staff, communityId, resident.id, {
        purpose: RevealPurpose.EmergencyContact,
        reason: 'Gas smell reported at the door',
      });

    await expect(reveal).rejects.toThrow('database unreachable');
    failing.mockRestore();
    expect(
      await db
        .collection('audit_entries')
        .countDocuments({ 'object.id': resident.id, action: NUMBERS_REVEALED_ACTION }),
    ).toBe(0);
    const revealed = await app
      .get(AuditService)
      .reveal(staff, communityId, resident.id, {
        purpose: RevealPurpose.EmergencyContact,
        reason: 'Gas smell reported at the door',
      });
    expect(revealed).toMatchObject({ phone: '13800004001', idNumber: '11010519491231002X' });
    expect(
      await db
        .collection('audit_entries')
        .countDocuments({ 'object.id': resident.id, action: NUMBERS_REVEALED_ACTION }),
    ).toBe(1);
  });

  it('keeps the account of a registration refused for its ID number from staying pending', async () => {
    const residents = app.get(ResidentsService);
    const code = await codeOf(
      residents.register(staff, communityId, {
        name: 'Li Ming',
        phone: '13800003001',
        unitId: oid(),
        relation: Relation.Tenant,
        idNumber: '310104198001011239',
        account: { username: 'li.ming.second', password: 'a-long-password' },
      }),
    );
    expect(code).toBe(ErrorCode.ID_NUMBER_TAKEN);
    expect(await db.collection('accounts').countDocuments({ username: 'li.ming.second' })).toBe(0);
  });
});
