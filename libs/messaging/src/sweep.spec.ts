import pino from 'pino';
import { PeriodicSweep } from './sweep';

describe('a periodic sweep', () => {
  const logger = pino({ level: 'silent' });

  it('runs one job at a time: a run asked for during another joins it', async () => {
    let runs = 0;
    let finish!: () => void;
    const sweep = new PeriodicSweep('test', 60_000, () => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))), logger);
    const first = sweep.run();
    const second = sweep.run();
    expect(second).toBe(first);
    finish();
    await first;
    expect(runs).toBe(1);
    const third = sweep.run();
    finish();
    await third;
    expect(runs).toBe(2);
  });

  it('survives a failed run, and the next one runs', async () => {
    const outcomes = [() => Promise.reject(new Error('database away')), () => Promise.resolve('ok')];
    let runs = 0;
    const sweep = new PeriodicSweep('test', 60_000, () => outcomes[runs++](), logger);
    await expect(sweep.run()).resolves.toBeUndefined();
    await expect(sweep.run()).resolves.toBeUndefined();
    expect(runs).toBe(2);
  });

  it('stops only after the run under way has finished', async () => {
    let done = false;
    const sweep = new PeriodicSweep('test', 60_000, () => new Promise<void>((resolve) => setTimeout(() => ((done = true), resolve()), 20)), logger);
    sweep.start();
    void sweep.run();
    await sweep.stop();
    expect(done).toBe(true);
  });
});
