import { INestApplication } from '@nestjs/common';
import {
  DOMAIN_EVENTS_STREAM,
  MembershipEvents,
  Principal,
  Relation,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { JSONCodec, connect } from 'nats';
import { Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { HierarchyService } from '../src/hierarchy/hierarchy.service';
import { RESIDENTS_CONSUMER } from '../src/hierarchy/residency.module';

const system: Principal = { sub: 'service:test', name: 'test', roles: [Role.System], communityIds: [] };

describe('grid keeps who lives in which building from membership events', () => {
  const config = testServiceConfig(ServiceName.Grid, runId());
  let app: INestApplication;
  let hierarchy: HierarchyService;
  let nats: NatsConnection;
  let communityId: string;
  let unit: { id: string; buildingId: string; gridId: string };

  beforeAll(async () => {
    app = await startServiceApp(GridAppModule.register(config), config);
    hierarchy = app.get(HierarchyService);
    nats = app.get(NatsConnection);
    const community = await hierarchy.createCommunity(system, {
      code: `R${runId()}`,
      name: 'Residence test',
      district: 'Test District',
      street: 'Test Street',
    });
    communityId = community.id;
    const area = await hierarchy.createArea(system, communityId, { code: 'A1', name: 'Area 1' });
    const grid = await hierarchy.createGrid(system, communityId, { areaId: area.id, code: 'G1', name: 'Grid 1' });
    const bulk = await hierarchy.bulkCreateBuildings(system, communityId, {
      gridId: grid.id,
      buildings: [{ code: 'B1', floors: 2, unitsPerFloor: 2 }],
    });
    const units = await hierarchy.listUnits(system, communityId, bulk.buildings[0].id, {});
    unit = units.items[0];
  });

  afterAll(async () => {
    await app.close();
  });

  function registration(personId = new Types.ObjectId().toHexString()) {
    return newEvent(
      MembershipEvents.residentRegistered,
      { personId, name: 'Zhao Lei', unitId: unit.id, buildingId: unit.buildingId, gridId: unit.gridId, relation: Relation.Tenant },
      { communityId, actor: 'test', correlationId: 'c-1' },
    );
  }

  async function residentCount(): Promise<number> {
    const view = await hierarchy.getHierarchy(system, communityId);
    return view.areas[0].grids[0].buildings[0].residentCount;
  }

  it('updates the read model exactly once when the same event is delivered twice', async () => {
    const envelope = registration();
    const codec = JSONCodec();
    // Two JetStream messages carrying the same event: what a redelivery or a re-publish after the
    // de-duplication window looks like to the consumer.
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID: `${envelope.id}-first` });
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID: `${envelope.id}-second` });
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, RESIDENTS_CONSUMER);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(await residentCount()).toBe(1);
  });

  it('keeps the residence across a restart of the service and picks up events published while it was down', async () => {
    await app.close();
    const nc = await connect({ servers: config.natsUrl });
    const envelope = registration();
    await nc.jetstream().publish(envelope.type, JSONCodec().encode(envelope), { msgID: envelope.id });
    await nc.drain();
    app = await startServiceApp(GridAppModule.register(config), config);
    hierarchy = app.get(HierarchyService);
    nats = app.get(NatsConnection);
    await eventually(async () => (await residentCount()) === 2);
  });
});
