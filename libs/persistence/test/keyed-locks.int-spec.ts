import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ObservabilityModule } from '@cg/observability';
import { KeyedLocks, LockingModule, PersistenceModule } from '@cg/persistence';
import { runId, testServiceConfig } from '@cg/testing';

describe('keyed locks on the database', () => {
  let app: INestApplicationContext;
  let locks: KeyedLocks;

  beforeAll(async () => {
    const config = testServiceConfig('locks', runId());
    @Module({ imports: [ObservabilityModule.forRoot(config), PersistenceModule.forRoot(config), LockingModule] })
    class LocksTestModule {}
    app = await NestFactory.createApplicationContext(LocksTestModule, { logger: false });
    locks = app.get(KeyedLocks);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets one holder at a time run a read-check-write, so no update is lost', async () => {
    let balance = 0;
    let inside = 0;
    let overlapped = false;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        locks.run('counter', async () => {
          inside += 1;
          if (inside > 1) overlapped = true;
          const read = balance;
          await new Promise((r) => setTimeout(r, 2));
          balance = read + 1;
          inside -= 1;
        }),
      ),
    );
    expect(overlapped).toBe(false);
    expect(balance).toBe(20);
  });

  it('releases the lock when the work throws', async () => {
    await expect(locks.run('failing', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks.run('failing', async () => 'next')).resolves.toBe('next');
  });

  it('takes over a lock whose holder stopped, once its lease has run out', async () => {
    let release!: () => void;
    const stuck = locks.run('abandoned', () => new Promise<void>((r) => (release = r)), { leaseMs: 50 });
    await new Promise((r) => setTimeout(r, 100));
    await expect(locks.run('abandoned', async () => 'taken over', { waitMs: 2000 })).resolves.toBe('taken over');
    release();
    await stuck;
  });
});
