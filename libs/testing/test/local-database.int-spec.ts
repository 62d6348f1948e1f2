import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { mongoLocalClassPath } from '../src/servers';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function connectWithin(url: string, ms: number): Promise<mongo.MongoClient> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await new mongo.MongoClient(url, { serverSelectionTimeoutMS: 1000 }).connect();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The local server that `scripts/up.sh` runs: the H2 backend on a file keeps every acknowledged write through kill -9. */
describe('the local database on its H2 file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-h2-'));
  let child: ChildProcess | undefined;
  let port: number;

  const start = async () => {
    child = spawn('java', ['-Xmx256m', '-cp', mongoLocalClassPath(), 'local.mongo.MongoLocal', '--port', String(port),
      '--backend', 'h2', '--file', join(dir, 'data.mv')], { stdio: 'ignore' });
    return connectWithin(`mongodb://127.0.0.1:${port}`, 30_000);
  };

  beforeAll(async () => {
    port = await freePort();
  });

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged insert and update when the server is killed with SIGKILL', async () => {
    const before = await start();
    const residents = before.db('durability').collection<{ _id: number; moves: number }>('residents');
    await Promise.all(
      Array.from({ length: 10 }, async (_, worker) => {
        for (let i = worker; i < 1000; i += 10) await residents.insertOne({ _id: i, moves: 0 });
      }),
    );
    await residents.updateMany({ _id: { $lt: 500 } }, { $inc: { moves: 1 } });
    const exited = new Promise((r) => child!.once('exit', r));
    child!.kill('SIGKILL');
    await exited;
    await before.close(true);

    const after = await start();
    const reopened = after.db('durability').collection('residents');
    expect(await reopened.countDocuments({})).toBe(1000);
    expect(await reopened.countDocuments({ moves: 1 })).toBe(500);
    await after.close();
  });
});
