import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

export interface MailpitMessage {
  ID: string;
  MessageID: string;
  Subject: string;
  Snippet: string;
  To: { Address: string }[];
}

export interface TestMailpit {
  smtpUrl: string;
  /** Messages received for `address` (all when absent), newest first. */
  messages(address?: string): Promise<MailpitMessage[]>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A Mailpit of one suite alone, on free ports (built by `scripts/servers.sh install`). */
export async function startMailpit(): Promise<TestMailpit> {
  execFileSync('bash', [resolve(ROOT, 'scripts/servers.sh'), 'install'], { stdio: 'inherit' });
  const bin = resolve(process.env.LOCAL_STATE_DIR ?? resolve(ROOT, '.local'), 'bin/mailpit');
  const [smtp, http] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    bin,
    ['--smtp', `127.0.0.1:${smtp}`, '--listen', `127.0.0.1:${http}`, '--disable-version-check', '--max', '20000'],
    { stdio: 'ignore' },
  );
  const api = `http://127.0.0.1:${http}/api/v1`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${api}/info`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 200) throw new Error('mailpit did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${smtp}`,
    messages: async (address) => {
      const url = address ? `${api}/search?limit=1000&query=${encodeURIComponent(`to:"${address}"`)}` : `${api}/messages?limit=1000`;
      const body = (await (await fetch(url)).json()) as { messages: MailpitMessage[] };
      return body.messages;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
