import { ATTACHMENTS_BUCKET, CaseCategory, CaseLocationKind, CaseUrgency, ErrorCode, PhotoStage, Principal, Relation, Role, ServiceName } from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { eventually } from '@cg/testing';
import exifr from 'exifr';
import { NatsConnection, connect } from 'nats';
import sharp from 'sharp';
import { AttachmentStore } from '../../apps/api-gateway/src/attachments/attachment-store';
import { PhotoRecord } from '../../apps/api-gateway/src/attachments/photo-index';
import { ADMIN, TestSystem, client } from './support/system';

const MAX_BYTES = 256 * 1024;
const PER_OBJECT = 9;
const GPS = {
  IFD0: { Make: 'Phone', Model: 'Camera' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 11/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 26/1 0/1' },
};

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } });

describe('photo attachments through the gateway', () => {
  const system = new TestSystem();
  let nats: NatsConnection;
  let communityId: string;
  let unitId: string;
  let unitIds: string[];
  let reporter: Principal;
  let admin: ReturnType<typeof client>;
  const tokens = new TokenService(system.jwtSecret, 3600);

  /** A token made here for a principal, or one given at login. */
  const bearer = (caller: Principal | string) => (typeof caller === 'string' ? caller : tokens.issue(caller));
  const as = (principal: Principal) => client(system.baseUrl, bearer(principal));
  const resident = (n: number): Principal => ({
    sub: `acct-resident-${n}`,
    personId: `65f00000000000000000000${n}`,
    name: `Resident ${n}`,
    roles: [Role.Resident],
    communityIds: [communityId],
  });
  const staff = (): Principal => ({ sub: 'acct-staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] });

  async function upload(principal: Principal | string, path: string, bytes: Buffer, options: { type?: string; name?: string } = {}) {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: options.type ?? 'image/jpeg' }), options.name ?? 'photo.jpg');
    const response = await fetch(`${system.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer(principal)}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as any, headers: response.headers };
  }

  async function download(principal: Principal | string, path: string) {
    const response = await fetch(`${system.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer(principal)}` } });
    return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
  }

  async function fileCase(by: Principal): Promise<string> {
    const filed = await as(by).post(`/api/v1/communities/${communityId}/cases`, {
      category: CaseCategory.Noise,
      urgency: CaseUrgency.Normal,
      description: 'Water drips from the balcony above',
      locationKind: CaseLocationKind.Unit,
      locationId: unitId,
    });
    expect(filed.status).toBe(201);
    return `/api/v1/communities/${communityId}/cases/${filed.body.id}/photos`;
  }

  async function storedUnder(prefix: string): Promise<string[]> {
    const store = await nats.jetstream().views.os(ATTACHMENTS_BUCKET);
    return (await store.list()).map((info) => info.name).filter((name) => name.startsWith(prefix)).sort();
  }

  beforeAll(async () => {
    await system.start({ photos: { maxBytes: MAX_BYTES, perObject: PER_OBJECT } });
    nats = await connect({ servers: system.config(ServiceName.Gateway).natsUrl });
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, login.body.accessToken);
    communityId = (await admin.post('/api/v1/communities', { code: `PH${system.id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' })).body.id;
    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [{ code: 'B001', floors: 2, unitsPerFloor: 2 }],
    });
    unitIds = (await admin.get(`/api/v1/communities/${communityId}/buildings/${bulk.body.buildings[0].id}/units`)).body.items.map(
      (unit: { id: string }) => unit.id,
    );
    unitId = unitIds[0];
    reporter = resident(1);
  });

  afterAll(async () => {
    await nats?.close();
    await system.stop();
  });

  it('stores a case photo without its GPS position, lists it and serves the image and a thumbnail', async () => {
    const photos = await fileCase(reporter);
    const taken = await canvas(800, 600).jpeg().withExif(GPS).toBuffer();
    expect(await exifr.gps(taken)).toBeDefined();

    const uploaded = await upload(reporter, `${photos}?stage=before`, taken);

    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id;
    expect(uploaded.body).toMatchObject({
      stage: 'before',
      contentType: 'image/jpeg',
      width: 800,
      height: 600,
      uploadedBy: reporter.sub,
      downloadPath: `${photos}/${id}`,
      thumbnailPath: `${photos}/${id}/thumbnail`,
    });
    const listed = await as(reporter).get(photos);
    expect(listed.body.items).toEqual([uploaded.body]);

    const image = await download(reporter, uploaded.body.downloadPath);
    expect([image.status, image.type, image.bytes.length]).toEqual([200, 'image/jpeg', uploaded.body.size]);
    expect(await exifr.gps(image.bytes)).toBeUndefined();
    expect(await exifr.parse(image.bytes)).toBeUndefined();
    const thumbnail = await download(reporter, uploaded.body.thumbnailPath);
    expect([thumbnail.status, thumbnail.type]).toEqual([200, 'image/webp']);
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 240 });
  });

  it('judges the file by its bytes: a text file called photo.jpg is 415 and nothing is stored', async () => {
    const photos = await fileCase(reporter);
    const refused = await upload(reporter, `${photos}?stage=before`, Buffer.from('not a photo at all'), { type: 'image/jpeg' });
    expect([refused.status, refused.body.code]).toEqual([415, ErrorCode.UNSUPPORTED_MEDIA_TYPE]);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const png = await upload(reporter, `${photos}?stage=before`, await canvas(40, 30).png().toBuffer(), { type: 'text/plain', name: 'a.txt' });
    expect([png.status, png.body.contentType]).toEqual([201, 'image/png']);
    expect((await as(reporter).get(photos)).body.items).toHaveLength(1);
  });

  it('refuses a photo over the size limit with 413, a body that is not multipart with 415, and a case photo without a stage with 400', async () => {
    const photos = await fileCase(reporter);
    const large = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(MAX_BYTES + 1024, 1)]);
    const tooLarge = await upload(reporter, `${photos}?stage=before`, large);
    expect([tooLarge.status, tooLarge.body.code]).toEqual([413, ErrorCode.PAYLOAD_TOO_LARGE]);
    const json = await as(reporter).post(`${photos}?stage=before`, { file: 'x' });
    expect([json.status, json.body.code]).toEqual([415, ErrorCode.UNSUPPORTED_MEDIA_TYPE]);
    const noStage = await upload(reporter, photos, await canvas(20, 20).jpeg().toBuffer());
    expect([noStage.status, noStage.body.code]).toEqual([400, ErrorCode.VALIDATION_FAILED]);
    const broken = await upload(reporter, `${photos}?stage=after`, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 9)]));
    expect([broken.status, broken.body.code]).toEqual([422, ErrorCode.PHOTO_UNREADABLE]);
    expect((await as(reporter).get(photos)).body.items).toEqual([]);
    expect(await storedUnder(photos.split('/').slice(4, 7).join('/'))).toEqual([]);
  });

  it('stores exactly 9 of 12 photos uploaded to one case at once and refuses 3 with 422, leaving no stray files', async () => {
    const photos = await fileCase(reporter);
    const images = await Promise.all(Array.from({ length: 12 }, (_, i) => canvas(64 + i, 48).jpeg().toBuffer()));

    const results = await Promise.all(images.map((image) => upload(reporter, `${photos}?stage=before`, image)));

    expect(results.filter((r) => r.status === 201)).toHaveLength(PER_OBJECT);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(3).fill([422, ErrorCode.PHOTO_LIMIT_REACHED]));
    const listed = (await as(reporter).get(photos)).body.items;
    expect(listed.map((p: { id: string }) => p.id).sort()).toEqual(results.filter((r) => r.status === 201).map((r) => r.body.id).sort());
    const prefix = `${communityId}/cases/${photos.split('/')[6]}/`;
    expect(await storedUnder(prefix)).toHaveLength(2 * PER_OBJECT);

    const after = await upload(staff(), `${photos}?stage=after`, images[0]);
    expect([after.status, after.body.stage]).toEqual([201, 'after']);
  });

  it("hides a resident's case photos from a neighbour (404, as grid answers) and from another community (403)", async () => {
    const photos = await fileCase(reporter);
    const uploaded = await upload(reporter, `${photos}?stage=before`, await canvas(30, 30).jpeg().toBuffer());
    expect(uploaded.status).toBe(201);
    const neighbour = resident(2);
    const outsider: Principal = { sub: 'acct-outsider', name: 'Wu Hao', roles: [Role.CommunityStaff], communityIds: ['65f0000000000000000000ff'] };

    expect((await as(neighbour).get(photos)).status).toBe(404);
    expect((await download(neighbour, uploaded.body.downloadPath)).status).toBe(404);
    expect((await download(neighbour, uploaded.body.thumbnailPath)).status).toBe(404);
    expect((await upload(neighbour, `${photos}?stage=before`, await canvas(30, 30).jpeg().toBuffer())).status).toBe(404);
    expect((await as(neighbour).call('DELETE', uploaded.body.downloadPath)).status).toBe(404);
    expect((await as(outsider).get(photos)).status).toBe(403);
    expect((await download(outsider, uploaded.body.downloadPath)).status).toBe(403);
    expect((await as(reporter).get(photos)).body.items).toHaveLength(1);
  });

  it('lets the uploader and staff delete a photo, and nobody else who can see the case', async () => {
    const photos = await fileCase(reporter);
    const mine = await upload(reporter, `${photos}?stage=before`, await canvas(30, 30).jpeg().toBuffer());
    const workers = await upload(staff(), `${photos}?stage=after`, await canvas(30, 30).jpeg().toBuffer());
    const caseId = photos.split('/')[6];

    expect((await as(reporter).call('DELETE', workers.body.downloadPath)).status).toBe(403);
    expect((await as(reporter).call('DELETE', mine.body.downloadPath)).status).toBe(204);
    expect((await download(reporter, mine.body.downloadPath)).status).toBe(404);
    expect((await as(reporter).call('DELETE', mine.body.downloadPath)).status).toBe(404);
    expect((await as(staff()).get(photos)).body.items.map((p: { id: string }) => p.id)).toEqual([workers.body.id]);
    expect(await storedUnder(`${communityId}/cases/${caseId}/${mine.body.id}`)).toEqual([]);
    expect((await as(staff()).call('DELETE', workers.body.downloadPath)).status).toBe(204);
    expect((await as(staff()).get(photos)).body.items).toEqual([]);
  });

  it('attaches photos to a micro-wish by the same routes, without a stage', async () => {
    const username = `wisher.${system.id}`;
    const registered = await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name: 'Zhou Min',
      phone: '13800001234',
      unitId: unitIds[1],
      relation: Relation.Tenant,
      account: { username, password: 'resident-password' },
    });
    expect(registered.status).toBe(201);
    const poster: string = (await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'resident-password' })).body.accessToken;
    // Activities learns where the resident lives from membership's events.
    const wish = await eventually(async () => {
      const posted = await client(system.baseUrl, poster).post(`/api/v1/communities/${communityId}/micro-wishes`, {
        what: 'A reading lamp',
        why: 'The hallway light is too dim to read by',
        neededBy: '2031-09-01',
        category: 'daily_needs',
      });
      return posted.status === 201 && posted;
    });
    const photos = `/api/v1/communities/${communityId}/micro-wishes/${wish.body.id}/photos`;
    const webp = await canvas(50, 40).webp().toBuffer();

    const staged = await upload(poster, `${photos}?stage=before`, webp);
    expect([staged.status, staged.body.code]).toEqual([400, ErrorCode.VALIDATION_FAILED]);
    const uploaded = await upload(poster, photos, webp);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.stage).toBeUndefined();
    expect(uploaded.body).toMatchObject({ contentType: 'image/webp', width: 50, height: 40 });
    expect((await download(poster, uploaded.body.downloadPath)).type).toBe('image/webp');
    expect((await upload(poster, `/api/v1/communities/${communityId}/micro-wishes/65f0000000000000000000aa/photos`, webp)).status).toBe(404);
  });

  it('leaves announcement photos to staff', async () => {
    const path = `/api/v1/communities/${communityId}/announcements/65f0000000000000000000ab/photos`;
    const refused = await upload(reporter, path, await canvas(20, 20).jpeg().toBuffer());
    expect([refused.status, refused.body.code]).toEqual([403, ErrorCode.FORBIDDEN]);
    expect((await upload(staff(), path, await canvas(20, 20).jpeg().toBuffer())).status).toBe(404);
  });

  it('decides the count limit by one conditional write of the index, however many writers race for it', async () => {
    const store = system.gateway!.get(AttachmentStore);
    const key = `${communityId}.cases.65f0000000000000000000cc`;
    const photo = (n: number): PhotoRecord => ({
      id: `65f0000000000000000001${String(n).padStart(2, '0')}`,
      stage: PhotoStage.Before,
      contentType: 'image/jpeg',
      size: 1,
      width: 1,
      height: 1,
      uploadedBy: reporter.sub,
      uploadedAt: new Date().toISOString(),
    });

    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, n) => store.record(key, photo(n), PER_OBJECT)));

    expect(outcomes.filter((o) => o.outcome === 'added')).toHaveLength(PER_OBJECT);
    expect(outcomes.filter((o) => o.outcome === 'full')).toHaveLength(3);
    expect((await store.entry(key))?.photos).toHaveLength(PER_OBJECT);
  });

  it('documents every photo route with its multipart body, images and errors', async () => {
    const doc = (await client(system.baseUrl).get('/docs-json')).body;
    const kinds = ['cases/{caseId}', 'micro-wishes/{wishId}', 'announcements/{announcementId}', 'service-requests/{requestId}', 'consultations/{consultationId}'];
    for (const kind of kinds) {
      const base = `/api/v1/communities/{communityId}/${kind}/photos`;
      const post = doc.paths[base].post;
      expect(post.requestBody.content['multipart/form-data'].schema.$ref).toBe('#/components/schemas/PhotoUploadDto');
      expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '413', '415', '422']));
      expect(doc.paths[base].get.responses['200']).toBeDefined();
      expect(doc.paths[`${base}/{photoId}`].get.responses['200'].content['image/jpeg'].schema).toEqual({ type: 'string', format: 'binary' });
      expect(doc.paths[`${base}/{photoId}/thumbnail`].get.responses['200'].content['image/webp']).toBeDefined();
      expect(doc.paths[`${base}/{photoId}`].delete.responses['204']).toBeDefined();
      const names = doc.paths[`${base}/{photoId}`].get.parameters.map((p: { name: string }) => p.name).sort();
      expect(names).toEqual(['communityId', 'photoId', kind.split('{')[1].slice(0, -1)].sort());
    }
    const operations = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(operations.filter((id) => id.includes('PhotosController'))).toHaveLength(5 * 5);
    expect(new Set(operations).size).toBe(operations.length);
    expect(doc.components.schemas.PhotoUploadDto.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(doc.paths['/api/v1/communities/{communityId}/cases/{caseId}/photos'].post.parameters.map((p: { name: string }) => p.name)).toContain('stage');
  });

  it('lists a retried upload once when it carries the same Idempotency-Key', async () => {
    const photos = await fileCase(reporter);
    const image = await canvas(30, 30).jpeg().toBuffer();
    const send = async () => {
      const form = new FormData();
      form.append('file', new Blob([image], { type: 'image/jpeg' }), 'photo.jpg');
      const response = await fetch(`${system.baseUrl}${photos}?stage=before`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer(reporter)}`, 'idempotency-key': `photo-${system.id}` },
        body: form,
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect((await as(reporter).get(photos)).body.items).toHaveLength(1);
  });
});
