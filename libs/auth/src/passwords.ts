import { DomainException, ErrorCode } from '@cg/contracts';
import { randomBytes, scrypt as scryptCb, timingSafeEqual, ScryptOptions } from 'node:crypto';

// N=2^15, r=8 costs about 32 MiB and tens of milliseconds a hash; parameters travel with each hash.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;
/** Hashes at once: two of libuv's four threads, so files, DNS and other crypto never wait behind logins. */
const HASH_CONCURRENCY = 2;
/** Hashes waiting beyond this are refused: a burst of guesses must not queue without end. */
const HASH_QUEUE_LIMIT = 64;

/** Runs at most `concurrency` tasks at a time, queues up to `queueLimit` more and refuses the rest. */
export class BoundedPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  get busy(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) {
        throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, 'Too many password checks at once; retry shortly');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next task, so `running` stays counted.
      if (next) next();
      else this.running--;
    }
  }
}

const pool = new BoundedPool(HASH_CONCURRENCY, HASH_QUEUE_LIMIT);

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  pool.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );

/** Encoded as `scrypt$N$r$p$salt$key` (base64url), so parameters can be raised without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEM });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEM,
  });
  return timingSafeEqual(actual, expected);
}
