import { INestApplication } from '@nestjs/common';
import {
  DOMAIN_EVENTS_STREAM,
  EventEnvelope,
  GridHierarchyEvents,
  Headers,
  MembershipEvents,
  Principal,
  Relation,
  ResidencePlace,
  ResidentMovedData,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Types } from 'mongoose';
import { JSONCodec, headers } from 'nats';
import { ActivitiesAppModule } from '../../activities/src/app.module';
import { ResidencyService, RESIDENT_MOVES_CONSUMER as ACTIVITIES_MOVES } from '../../activities/src/residents/residency.service';
import { GridAppModule } from '../../grid/src/app.module';
import { RESIDENT_MOVES_CONSUMER as GRID_MOVES, RESIDENTS_CONSUMER as GRID_REGISTRATIONS } from '../../grid/src/hierarchy/residency.module';
import { PropertyAppModule } from '../../property/src/app.module';
import { RESIDENCE_MOVES_CONSUMER as PROPERTY_MOVES } from '../../property/src/residences/residences.module';
import { ResidencyRepository as GridResidencies, ResidencyRepository as PropertyResidences } from '@cg/residency';
import { MembershipAppModule } from '../src/app.module';
import { BUILDING_MOVES_CONSUMER, ResidencesService } from '../src/residents/residences.service';
import { ResidentsRepository } from '../src/residents/residents.repository';
import { ResidentsService } from '../src/residents/residents.service';
import { VolunteersRepository } from '../src/volunteers/volunteers.repository';
import { RESIDENT_MOVES_CONSUMER as VOLUNTEER_MOVES } from '../src/volunteers/volunteers.service';

const codec = JSONCodec();
const oid = () => new Types.ObjectId().toHexString();
const place = (): ResidencePlace => ({ unitId: oid(), buildingId: oid(), gridId: oid() });

describe('read models of residents follow moves delivered twice and out of order', () => {
  const id = runId();
  const communityId = oid();
  const meta = { communityId, actor: 'staff', correlationId: `corr-${id}` };
  const staff: Principal = { sub: 'staff', name: 'Staff', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const apps: INestApplication[] = [];
  let membership: INestApplication;
  let grid: INestApplication;
  let activities: INestApplication;
  let property: INestApplication;
  let nats: NatsConnection;

  async function start(module: (config: ServiceConfig) => unknown, service: string): Promise<INestApplication> {
    const config = testServiceConfig(service, id);
    const app = await startServiceApp(module(config) as never, config);
    apps.push(app);
    return app;
  }

  /** Publishes the event under a message id of its own, so JetStream's de-duplication does not hide a repeat. */
  async function deliver(envelope: EventEnvelope, msgID: string): Promise<void> {
    const h = headers();
    h.set(Headers.correlationId, meta.correlationId);
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID, headers: h });
  }

  async function drained(durables: string[]): Promise<void> {
    await eventually(async () => {
      for (const durable of durables) {
        const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
        if (info.num_pending !== 0 || info.num_ack_pending !== 0) return false;
      }
      return true;
    }, 20_000);
  }

  function moved(personId: string, revision: number, from: ResidencePlace | null, to: ResidencePlace | null) {
    const data: ResidentMovedData = {
      personId,
      name: 'Sun Li',
      from,
      to,
      relation: Relation.Tenant,
      movedAt: new Date(Date.UTC(2025, 0, revision + 1)).toISOString(),
      revision,
      reason: to ? 'moved' : 'moved_out',
    };
    return newEvent(MembershipEvents.residentMoved, data, meta);
  }

  beforeAll(async () => {
    membership = await start((c) => MembershipAppModule.register(c), ServiceName.Membership);
    grid = await start((c) => GridAppModule.register(c), ServiceName.Grid);
    activities = await start((c) => ActivitiesAppModule.register(c), ServiceName.Activities);
    property = await start((c) => PropertyAppModule.register(c), ServiceName.Property);
    nats = membership.get(NatsConnection);
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  describe('a person moving twice, then out', () => {
    const personId = oid();
    const registered = place();
    const first = place();
    const second = place();
    const ALL = [GRID_MOVES, GRID_REGISTRATIONS, ACTIVITIES_MOVES, PROPERTY_MOVES, VOLUNTEER_MOVES];

    async function readModels() {
      const person = new Types.ObjectId(personId);
      const community = new Types.ObjectId(communityId);
      return {
        grid: await grid.get(GridResidencies).findForPerson(community, person),
        activities: await activities.get(ResidencyService).find(communityId, personId),
        property: await property.get(PropertyResidences).findInCommunity(community, person),
        volunteer: await membership.get(VolunteersRepository).findProfile(community, person),
      };
    }

    beforeAll(async () => {
      await membership.get(VolunteersRepository).saveProfile({
        communityId: new Types.ObjectId(communityId),
        personId: new Types.ObjectId(personId),
        name: 'Sun Li',
        skills: ['first aid'],
        availability: [],
        buildingId: new Types.ObjectId(registered.buildingId),
        gridId: new Types.ObjectId(registered.gridId),
        placementRevision: 0,
      });
    });

    it('ends at the latest move when the newer move arrives first and both arrive twice', async () => {
      const one = moved(personId, 1, registered, first);
      const two = moved(personId, 2, first, second);
      await deliver(two, `${two.id}-a`);
      await deliver(one, `${one.id}-a`);
      await deliver(two, `${two.id}-b`);
      await deliver(one, `${one.id}-b`);
      // The registration arrives last of all: it must not take the person back to where they registered.
      const registration = newEvent(
        MembershipEvents.residentRegistered,
        { personId, name: 'Sun Li', ...registered, relation: Relation.Tenant },
        meta,
      );
      await deliver(registration, `${registration.id}-a`);
      await drained(ALL);

      const models = await readModels();
      for (const model of [models.grid, models.activities, models.property]) {
        expect(model).toMatchObject({ revision: 2, sourceEventId: two.id });
        expect(String(model!.unitId)).toBe(second.unitId);
        expect(String(model!.buildingId)).toBe(second.buildingId);
        expect(String(model!.gridId)).toBe(second.gridId);
      }
      expect(models.volunteer).toMatchObject({ placementRevision: 2 });
      expect(String(models.volunteer!.buildingId)).toBe(second.buildingId);
    });

    it('keeps the move out when an older move arrives after it', async () => {
      const out = moved(personId, 3, second, null);
      const two = moved(personId, 2, first, second);
      await deliver(out, `${out.id}-a`);
      await deliver(two, `${two.id}-late`);
      await deliver(out, `${out.id}-b`);
      await drained(ALL);

      const models = await readModels();
      expect(models.grid).toMatchObject({ revision: 3 });
      expect(models.grid!.leftAt).toBeInstanceOf(Date);
      expect(models.activities).toBeNull();
      expect(models.property).toBeNull();
      expect(models.volunteer).toMatchObject({ placementRevision: 3 });
      expect(models.volunteer!.buildingId).toBeUndefined();
    });
  });

  it("moves membership's residents to their building's new grid, in the order the building moved", async () => {
    const buildingId = oid();
    const [gridA, gridB, gridC] = [oid(), oid(), oid()];
    const community = new Types.ObjectId(communityId);
    const people = [oid(), oid()];
    for (const [i, personId] of people.entries()) {
      await membership.get(ResidentsRepository).insert({
        _id: new Types.ObjectId(personId),
        communityId: community,
        name: `Resident ${i}`,
        phone: `1380000000${i}`,
        unitId: new Types.ObjectId(),
        buildingId: new Types.ObjectId(buildingId),
        gridId: new Types.ObjectId(gridA),
        relation: Relation.Owner,
        registeredAt: new Date(Date.UTC(2024, 0, 1)),
        outbox: [],
      });
    }
    const buildingMove = (from: string, to: string, day: number) =>
      newEvent(
        GridHierarchyEvents.buildingMoved,
        {
          buildingId,
          buildingCode: 'B9',
          fromGridId: from,
          toGridId: to,
          fromAreaId: oid(),
          toAreaId: oid(),
          movedAt: new Date(Date.UTC(2025, 5, day)).toISOString(),
        },
        meta,
      );
    const toB = buildingMove(gridA, gridB, 1);
    const toC = buildingMove(gridB, gridC, 2);
    await deliver(toC, `${toC.id}-a`);
    await deliver(toB, `${toB.id}-a`);
    await deliver(toC, `${toC.id}-b`);
    await drained([BUILDING_MOVES_CONSUMER]);

    for (const personId of people) {
      const view = await membership.get(ResidentsService).get(staff, communityId, personId);
      expect(view).toMatchObject({ buildingId, gridId: gridC, revision: 1 });
      const history = await membership.get(ResidencesService).history(staff, communityId, personId);
      expect(history.periods).toEqual([expect.objectContaining({ buildingId, gridId: gridC })]);
    }
    const page = await membership.get(ResidentsService).list(staff, communityId, { buildingId });
    expect(page.items.map((r) => r.id).sort()).toEqual([...people].sort());
  });
});
