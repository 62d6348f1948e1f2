import { Controller, INestApplication, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DomainException,
  ErrorCode,
  GridRpc,
  MembershipRpc,
  Principal,
  RegisterResidentDto,
  Relation,
  Role,
  ServiceName,
  UnitView,
} from '@cg/contracts';
import { AuthModule, TokenService, hashPassword } from '@cg/auth';
import { MessagingModule, RpcClient, startServiceApp } from '@cg/messaging';
import { ObservabilityModule } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const oid = () => new Types.ObjectId().toHexString();

/**
 * Runs the membership service from its sources in a process of its own, compiled on load by swc as jest does, with
 * the path aliases of tsconfig.json.
 */
const LAUNCHER = `
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const root = process.argv[1];
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const { paths } = JSON.parse(readFileSync(root + '/tsconfig.json', 'utf8')).compilerOptions;
require('tsconfig-paths').register({ baseUrl: root, paths });
require(root + '/apps/membership/src/main.ts');
`;

/** Grid's answer for any unit: one of this community's, in one building. */
@Controller()
class GridUnits {
  static readonly buildingId = oid();
  static readonly gridId = oid();

  @MessagePattern(GridRpc.getUnit.subject)
  unit(@Payload() req: { communityId: string; unitId: string }): UnitView {
    return {
      id: req.unitId,
      communityId: req.communityId,
      code: req.unitId.slice(-4),
      floor: 3,
      buildingId: GridUnits.buildingId,
      buildingCode: 'B1',
      gridId: GridUnits.gridId,
      areaId: GridUnits.gridId,
    };
  }
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainException) return error.code;
    throw error;
  }
}

describe('a resident registered with an account survives a crash between its writes', () => {
  const id = runId();
  const gridConfig = testServiceConfig(ServiceName.Grid, id);
  const mongoDb = testServiceConfig(ServiceName.Membership, id).mongoDb;
  let grid: INestApplication;
  let rpc: RpcClient;
  let tokens: TokenService;
  let db: Connection;
  let membership: { child: ChildProcess; exited: Promise<NodeJS.Signals | null>; output: string[] } | undefined;

  /** Starts membership in a child process, stopping itself at `crashAt` if given; waits until it answers. */
  async function startMembership(crashAt?: string): Promise<void> {
    const output: string[] = [];
    const child = spawn(process.execPath, ['-e', LAUNCHER, ROOT], {
      cwd: ROOT,
      env: {
        ...process.env,
        NATS_URL: gridConfig.natsUrl,
        MONGO_URL: gridConfig.mongoUrl,
        MONGO_DB: mongoDb,
        HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
        CRASH_AT: crashAt ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
    membership = { child, exited, output };
    // A wrong password is answered only by a service that is up.
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`membership exited: ${output.join('')}`);
      const code = await codeOf(rpc.send(MembershipRpc.login, { username: 'nobody', password: 'wrong-password' }, { timeoutMs: 1000 }));
      return code === ErrorCode.INVALID_CREDENTIALS;
    }, 60_000);
  }

  async function stopMembership(): Promise<void> {
    if (!membership) return;
    const { child, exited } = membership;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    membership = undefined;
  }

  function staffOf(communityId: string): string {
    const staff: Principal = { sub: `staff-${communityId}`, name: 'Staff', roles: [Role.CommunityStaff], communityIds: [communityId] };
    return tokens.issue(staff);
  }

  function register(communityId: string, resident: RegisterResidentDto) {
    return rpc.send(MembershipRpc.registerResident, { communityId, resident }, { token: staffOf(communityId), timeoutMs: 5000 });
  }

  function login(username: string, password: string) {
    return rpc.send(MembershipRpc.login, { username, password });
  }

  /** Sends a registration the service dies in the middle of, and waits for the process to be gone. */
  async function registerUntilKilled(communityId: string, resident: RegisterResidentDto): Promise<void> {
    const { exited } = membership!;
    expect(await codeOf(register(communityId, resident))).not.toBe('ok');
    expect(await exited).toBe('SIGKILL');
    membership = undefined;
  }

  const accounts = () => db.collection('accounts');
  const residents = () => db.collection('residents');

  beforeAll(async () => {
    @Module({
      imports: [ObservabilityModule.forRoot(gridConfig), AuthModule.forRoot(gridConfig), MessagingModule],
      controllers: [GridUnits],
    })
    class GridUnitsModule {}
    grid = await startServiceApp(GridUnitsModule, gridConfig);
    rpc = grid.get(RpcClient);
    tokens = grid.get(TokenService);
    db = await mongoose.createConnection(gridConfig.mongoUrl, { dbName: mongoDb }).asPromise();
  });

  afterEach(stopMembership);

  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
    await grid?.close();
  });

  it('finishes a registration killed after its account was written: the account logs in and reads its resident', async () => {
    const communityId = oid();
    const credentials = { username: `li.ming.${id}`, password: 'correct-horse-battery' };
    await startMembership('resident.account-written');

    await registerUntilKilled(communityId, {
      name: 'Li Ming', phone: '13800001111', unitId: oid(), relation: Relation.Owner, account: credentials,
    });

    // Stopped exactly between the two writes: a pending account and no resident.
    const written = await accounts().findOne({ username: credentials.username });
    expect(written).toMatchObject({ pendingResident: { name: 'Li Ming' } });
    expect(await residents().findOne({ _id: written!.personId })).toBeNull();

    await startMembership();
    const session = await eventually(() => login(credentials.username, credentials.password), 30_000);
    expect(session.principal).toMatchObject({ personId: String(written!.personId), roles: expect.arrayContaining([Role.Owner]) });
    const me = await rpc.send(
      MembershipRpc.getResident,
      { communityId, personId: session.principal.personId! },
      { token: session.accessToken },
    );
    expect(me).toMatchObject({ id: String(written!.personId), name: 'Li Ming', accountId: String(written!._id) });
    expect(await accounts().findOne({ _id: written!._id })).not.toHaveProperty('pendingResident');
    // The username belongs to a working account now, so registering it again is refused.
    const again = register(communityId, { name: 'Li Ming', phone: '13800001112', unitId: oid(), relation: Relation.Tenant, account: credentials });
    expect(await codeOf(again)).toBe(ErrorCode.USERNAME_TAKEN);
  });

  it('refuses to log in a pending account until the sweep has finished its registration', async () => {
    const communityId = new Types.ObjectId();
    const personId = new Types.ObjectId();
    const credentials = { username: `sun.yu.${id}`, password: 'correct-horse-battery' };
    await startMembership();
    await accounts().insertOne({
      username: credentials.username,
      passwordHash: await hashPassword(credentials.password),
      name: 'Sun Yu',
      personId,
      roles: [Role.Resident],
      communityIds: [communityId],
      pendingResident: {
        _id: personId,
        communityId,
        name: 'Sun Yu',
        phone: '13800004444',
        unitId: new Types.ObjectId(),
        buildingId: new Types.ObjectId(GridUnits.buildingId),
        gridId: new Types.ObjectId(GridUnits.gridId),
        relation: Relation.Tenant,
        registeredAt: new Date(),
        outbox: [],
      },
    });

    expect(await codeOf(login(credentials.username, credentials.password))).toBe(ErrorCode.INVALID_CREDENTIALS);
    const session = await eventually(() => login(credentials.username, credentials.password), 30_000);
    expect(session.principal.personId).toBe(String(personId));
    expect(await residents().findOne({ _id: personId })).toMatchObject({ name: 'Sun Yu' });
  });

  it('finishes a registration killed after its resident was written: the account logs in', async () => {
    const communityId = oid();
    const credentials = { username: `zhao.lei.${id}`, password: 'correct-horse-battery' };
    await startMembership('resident.written');

    await registerUntilKilled(communityId, {
      name: 'Zhao Lei', phone: '13800002222', unitId: oid(), relation: Relation.Tenant, account: credentials,
    });

    const written = await accounts().findOne({ username: credentials.username });
    expect(written).toHaveProperty('pendingResident');
    expect(await residents().findOne({ _id: written!.personId })).toMatchObject({ name: 'Zhao Lei', accountId: written!._id });

    await startMembership();
    const session = await eventually(() => login(credentials.username, credentials.password), 30_000);
    expect(session.principal.personId).toBe(String(written!.personId));
  });

  it('removes the account of a killed registration whose resident is refused, and the username registers again', async () => {
    const communityId = oid();
    const unitId = oid();
    const credentials = { username: `wang.fang.${id}`, password: 'correct-horse-battery' };
    await startMembership('resident.account-written');
    // Already registered without an account: the same phone in the same unit is refused.
    await register(communityId, { name: 'Wang Fang', phone: '13800003333', unitId, relation: Relation.Tenant });

    await registerUntilKilled(communityId, {
      name: 'Wang Fang', phone: '13800003333', unitId, relation: Relation.Tenant, account: credentials,
    });
    expect(await accounts().findOne({ username: credentials.username })).toHaveProperty('pendingResident');

    await startMembership();
    // Whether the start-up sweep got to it first or this registration settles it on the spot, the username is free.
    const registered = await register(communityId, {
      name: 'Wang Fang', phone: '13800003334', unitId: oid(), relation: Relation.Tenant, account: credentials,
    });
    const session = await login(credentials.username, credentials.password);
    expect(session.principal.personId).toBe(registered.id);
    expect(await accounts().countDocuments({ username: credentials.username })).toBe(1);
  });
});
