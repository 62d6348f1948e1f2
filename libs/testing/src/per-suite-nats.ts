import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Jest setup for integration and end-to-end suites: with local servers, each test file gets a nats-server of
 * its own, so durable consumers and queue groups of one suite never see another suite's apps or events.
 * Runs before the test file is loaded, so configurations built at load time already see the new NATS_URL.
 */
function startSuiteNats(): void {
  if (process.env.__TEST_SERVERS_READY !== 'local') return;
  const bin = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (!bin) return;
  const dir = mkdtempSync(join(tmpdir(), 'cg-suite-nats-'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const child = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
    const ready = spawnSync('bash', ['-c', `for i in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && exit 0; sleep 0.05; done; exit 1`]);
    if (ready.status === 0 && child.exitCode === null) {
      process.env.NATS_URL = `nats://127.0.0.1:${port}`;
      afterAll(async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      });
      return;
    }
    child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
}

startSuiteNats();
