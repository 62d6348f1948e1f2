import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import {
  CaseCategory,
  CaseLocationKind,
  CaseRouting,
  CaseUrgency,
  DomainException,
  ErrorCode,
  Principal,
  Role,
  ServiceName,
} from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { CasesService } from '../src/cases/cases.service';
import { HierarchyService } from '../src/hierarchy/hierarchy.service';
import { CommunitySettings } from '../src/settings/settings.schema';
import { SettingsService } from '../src/settings/settings.service';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };

describe('community settings in the grid service, with two instances on one database', () => {
  const id = runId();
  let config: ServiceConfig;
  let first: INestApplication;
  let second: INestApplication;
  let communityId: string;
  let unitId: string;
  let staff: Principal;
  let resident: Principal;

  const start = () => startServiceApp(GridAppModule.register(config), config);
  const fileOn = (app: INestApplication, category: string) =>
    app.get(CasesService).file(resident, communityId, {
      category,
      urgency: CaseUrgency.Normal,
      description: 'A broken street lamp by the gate',
      locationKind: CaseLocationKind.Unit,
      locationId: unitId,
    });
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: DomainException) => error.code,
    );

  beforeAll(async () => {
    config = testServiceConfig(ServiceName.Grid, id);
    [first, second] = [await start(), await start()];
    const hierarchy = first.get(HierarchyService);
    communityId = (
      await hierarchy.createCommunity(admin, {
        code: `S${id}`,
        name: 'K',
        district: 'Xuhui',
        street: 'Kangjian',
      })
    ).id;
    const area = await hierarchy.createArea(admin, communityId, { code: 'A1', name: 'Area 1' });
    const gridId = (
      await hierarchy.createGrid(admin, communityId, { areaId: area.id, code: 'G1', name: 'Grid 1' })
    ).id;
    const bulk = await hierarchy.bulkCreateBuildings(admin, communityId, {
      gridId,
      buildings: [{ code: 'B1', floors: 1, unitsPerFloor: 2 }],
    });
    unitId = (await hierarchy.listUnits(admin, communityId, bulk.buildings[0].id, { limit: 10 })).items[0].id;
    staff = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
    resident = { sub: 'resident', name: 'Li Ming', roles: [Role.Resident], communityIds: [communityId] };
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('lets another instance file under a category added a moment ago, and drop one deactivated there', async () => {
    // The second instance has the defaults cached before the change.
    expect((await fileOn(second, CaseCategory.Noise)).category).toBe(CaseCategory.Noise);
    const settings = first.get(SettingsService);
    const current = await settings.get(staff, communityId);
    const lamps = {
      code: 'street_lamps',
      names: { zh: '路灯', en: 'Street lamps' },
      slaWorkingDays: 4,
      routing: CaseRouting.Grid,
      active: true,
    };
    const added = await settings.put(staff, communityId, {
      ...current,
      expectedRevision: 0,
      categories: [...current.categories, lamps],
    });
    expect(added.revision).toBe(1);
    // An unknown code reads the settings again before it is refused.
    expect((await fileOn(second, 'street_lamps')).category).toBe('street_lamps');

    const off = added.categories.map((c) => (c.code === CaseCategory.Noise ? { ...c, active: false } : c));
    await settings.put(staff, communityId, { ...added, expectedRevision: 1, categories: off });
    // The settings event reaches every instance, which drops what it cached.
    await eventually(
      async () => (await second.get(SettingsService).forCommunity(communityId)).revision === 2,
    );
    expect(await codeOf(fileOn(second, CaseCategory.Noise))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('stores the event and the history entry in the same write, and publishes and clears the event', async () => {
    const model = first.get<Model<CommunitySettings>>(getModelToken(CommunitySettings.name));
    await eventually(async () => {
      const stored = await model.findById(new Types.ObjectId(communityId)).lean<CommunitySettings>().exec();
      return stored?.outbox.length === 0 && stored.history.length === 2;
    });
    const stored = await model.findById(new Types.ObjectId(communityId)).lean<CommunitySettings>().exec();
    expect(stored!.history.map((h) => h.revision)).toEqual([1, 2]);
    expect(stored!.history[1].changes).toEqual([
      { field: 'categories.noise.active', from: 'true', to: 'false' },
    ]);
  });
});
