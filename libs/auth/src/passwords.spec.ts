import { ErrorCode } from '@cg/contracts';
import { BoundedPool, hashPassword, verifyPassword } from './passwords';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('wrong horse', hash)).resolves.toBe(false);
  });

  it('keeps the event loop free while ten guesses are checked at once', async () => {
    const hash = await hashPassword('correct horse');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => verifyPassword(`guess ${i}`, hash)));
    clearInterval(timer);
    // A synchronous hash would hold the loop for the whole run: no ticks at all.
    expect(ticks).toBeGreaterThan((Date.now() - started) / 5 / 4);
  });
});

describe('the bounded pool hashes run in', () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  it('runs at most its concurrency at once and the rest in turn', async () => {
    const pool = new BoundedPool(2, 10);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 5 }, gate);
    const done = gates.map((g) =>
      pool.run(async () => {
        peak = Math.max(peak, ++running);
        await g.opened;
        running--;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect([pool.busy, pool.queued]).toEqual([2, 3]);
    gates.forEach((g) => g.open());
    await Promise.all(done);
    expect(peak).toBe(2);
    expect([pool.busy, pool.queued]).toEqual([0, 0]);
  });

  it('refuses work beyond its queue with SERVICE_UNAVAILABLE', async () => {
    const pool = new BoundedPool(1, 1);
    const g = gate();
    const first = pool.run(() => g.opened);
    const second = pool.run(() => Promise.resolve());
    await expect(pool.run(() => Promise.resolve())).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    g.open();
    await Promise.all([first, second]);
  });
});
