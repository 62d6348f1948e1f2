import { INestApplication } from '@nestjs/common';
import { Principal, Role, ServiceName } from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { PropertyAppModule } from '../src/app.module';
import { OwnerRegisterRepository } from '../src/owners/owner-register.repository';
import { OwnerRegisterService } from '../src/owners/owner-register.service';
import { RegisteredUnit } from '../src/owners/registered-unit.schema';
import { Types } from 'mongoose';
import { newId, ownershipRecorded } from './ownership-events';

const system: Principal = { sub: 'service:test', name: 'test', roles: [Role.System], communityIds: [] };

describe('property keeps the owner register from membership ownership events', () => {
  const config = testServiceConfig(ServiceName.Property, runId());
  let app: INestApplication;
  let register: OwnerRegisterService;
  let publisher: EventPublisher;
  const communityId = newId();

  beforeAll(async () => {
    app = await startServiceApp(PropertyAppModule.register(config), config);
    register = app.get(OwnerRegisterService);
    publisher = app.get(EventPublisher);
  });

  afterAll(async () => {
    await app.close();
  });

  /** Published after the events under test: once it is visible, everything published before it was handled. */
  async function drained(): Promise<void> {
    const unitId = newId();
    await publisher.publish(ownershipRecorded(communityId, { unitId }));
    await eventually(() => register.getUnit(system, communityId, unitId).then(Boolean));
  }

  it('keeps the latest revision when events arrive twice and out of order', async () => {
    const unitId = newId();
    const buildingId = newId();
    const revision = (n: number, area: string, voter: string) =>
      ownershipRecorded(communityId, { unitId, buildingId, revision: n, exclusiveArea: area, voterPersonId: voter, headcountKey: voter });
    const first = revision(1, '80.00', 'p1');
    const third = revision(3, '95.25', 'p3');
    const second = revision(2, '88.00', 'p2');
    for (const event of [first, third, third, second, first]) await publisher.publish(event);
    // The same revision again under a new event id (a retried publish upstream) is not dropped by JetStream.
    await publisher.publish(revision(2, '70.00', 'p2-again'));
    await drained();

    expect(await register.getUnit(system, communityId, unitId)).toEqual({
      unitId,
      buildingId,
      exclusiveArea: '95.25',
      voterPersonId: 'p3',
      headcountKey: 'p3',
      revision: 3,
    });
  });

  it('applies concurrent deliveries of different revisions so that the highest wins', async () => {
    const unitId = newId();
    const events = [4, 1, 5, 2, 3, 5].map((n) =>
      ownershipRecorded(communityId, { unitId, revision: n, exclusiveArea: `${n}0.00`, voterPersonId: `v${n}`, headcountKey: `v${n}` }),
    );
    await Promise.all(events.map((event) => register.onOwnershipRecorded(event)));
    await Promise.all([...events].reverse().map((event) => register.onOwnershipRecorded(event)));
    expect(await register.getUnit(system, communityId, unitId)).toMatchObject({ revision: 5, exclusiveArea: '50.00', voterPersonId: 'v5' });
  });

  it('applies a batch of unit versions: each unit at its latest, never below what is stored', async () => {
    const repository = app.get(OwnerRegisterRepository);
    const [a, b, c] = [newId(), newId(), newId()];
    const version = (unitId: string, revision: number): RegisteredUnit => ({
      _id: new Types.ObjectId(unitId),
      communityId: new Types.ObjectId(communityId),
      buildingId: new Types.ObjectId(),
      gridId: new Types.ObjectId(),
      areaHundredths: revision * 1000,
      areaSource: 'register' as never,
      ownerPersonIds: [`o${revision}`],
      voterPersonId: `v${revision}`,
      headcountKey: `v${revision}`,
      revision,
      sourceEventId: `${unitId}:${revision}`,
      recordedAt: new Date(),
    });
    await repository.applyIfNewer(version(a, 3));
    await repository.applyIfNewer(version(b, 5));
    await repository.applyManyIfNewer([version(a, 2), version(b, 6), version(c, 1), version(c, 2), version(b, 4)]);
    const revisionOf = async (unitId: string) => (await register.getUnit(system, communityId, unitId)).revision;
    expect([await revisionOf(a), await revisionOf(b), await revisionOf(c)]).toEqual([3, 6, 2]);
    await repository.applyManyIfNewer([version(a, 1), version(c, 2)]);
    expect([await revisionOf(a), await revisionOf(c)]).toEqual([3, 2]);
  });

  it('sums the register by unit, area and owners counted by headcount key', async () => {
    const community = newId();
    const events = [
      ownershipRecorded(community, { unitId: newId(), exclusiveArea: '100.10', headcountKey: 'buyer' }),
      ownershipRecorded(community, { unitId: newId(), exclusiveArea: '50.05', headcountKey: 'buyer' }),
      ownershipRecorded(community, { unitId: newId(), exclusiveArea: '70.00', headcountKey: 'developer' }),
      ownershipRecorded(community, { unitId: newId(), exclusiveArea: '70.00', headcountKey: 'developer' }),
      ownershipRecorded(community, { unitId: newId(), exclusiveArea: '0.01', headcountKey: 'someone' }),
    ];
    for (const event of events) await publisher.publish(event);
    const summary = await eventually(async () => {
      const s = await register.summary(system, community);
      return s.units === 5 && s;
    });
    expect(summary).toEqual({ communityId: community, units: 5, owners: 3, totalArea: '290.16' });
  });

  it('refuses the register to a resident and to staff of another community', async () => {
    const resident: Principal = { sub: 'a1', personId: newId(), name: 'r', roles: [Role.Resident, Role.Owner], communityIds: [communityId] };
    const otherStaff: Principal = { sub: 'a2', name: 's', roles: [Role.CommunityStaff], communityIds: [newId()] };
    await expect(register.summary(resident, communityId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(register.summary(otherStaff, communityId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
