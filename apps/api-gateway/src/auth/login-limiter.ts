import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { Logger, PINO_LOGGER, SERVICE_CONFIG } from '@cg/observability';
import { KV } from 'nats';
import { createHash } from 'node:crypto';
import { GatewayConfig } from '../config';
import { LockoutPolicy, LoginFailures, afterFailure, retryAfterSeconds } from './lockout-rules';

const BUCKET = 'login_failures';
/** Failures are forgotten after this long without a new one. */
const FAILURE_MEMORY_MS = 3600 * 1000;
const UPDATE_ATTEMPTS = 5;

/** Thrown while an account or address is locked: answered 429 with Retry-After. */
export class LoginLockedOut extends DomainException {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, 'Too many failed logins; retry after the time in Retry-After');
  }
}

interface Counter {
  key: string;
  policy: LockoutPolicy;
}

/**
 * Counts failed logins per account and per client address in a JetStream key-value bucket, so every gateway replica
 * sees the same counts; past a threshold the key is locked for a doubling while (see lockout-rules). While locked, the
 * password is not even checked. If the bucket cannot be reached, logins go on unlimited rather than all failing.
 */
@Injectable()
export class LoginLimiter {
  private bucket?: Promise<KV>;

  constructor(
    private readonly nats: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  /** Throws `LoginLockedOut` when the account or the address must wait. */
  async assertMayTry(username: string, address: string): Promise<void> {
    const states = await this.guard(() => Promise.all(this.counters(username, address).map((c) => this.read(c.key))));
    const wait = Math.max(0, ...(states ?? []).map((state) => retryAfterSeconds(state?.value, Date.now())));
    if (wait > 0) throw new LoginLockedOut(wait);
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await this.guard(() => Promise.all(this.counters(username, address).map((c) => this.increment(c))));
  }

  /** A correct password clears the account's failures; the address keeps its own, so one known account cannot reset them. */
  async recordSuccess(username: string): Promise<void> {
    const [account] = this.counters(username, '');
    await this.guard(async () => (await this.kv()).delete(account.key));
  }

  private counters(username: string, address: string): Counter[] {
    return [
      { key: `account.${digest(username.toLowerCase())}`, policy: this.config.loginAccountLockout },
      { key: `address.${digest(address)}`, policy: this.config.loginAddressLockout },
    ];
  }

  private async read(key: string): Promise<{ value?: LoginFailures; revision: number }> {
    const entry = await (await this.kv()).get(key);
    if (!entry || entry.operation !== 'PUT') return { revision: entry?.revision ?? 0 };
    return { value: entry.json<LoginFailures>(), revision: entry.revision };
  }

  /** Compare-and-set, so failures counted at once on several replicas are all counted. */
  private async increment({ key, policy }: Counter): Promise<void> {
    const kv = await this.kv();
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const { value, revision } = await this.read(key);
      const next = JSON.stringify(afterFailure(value, Date.now(), policy));
      const written = await (value ? kv.update(key, next, revision) : kv.create(key, next)).then(
        () => true,
        () => false,
      );
      if (written) return;
    }
  }

  private async guard<T>(op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await op();
    } catch (error) {
      this.logger.warn({ err: error }, 'the login failure counts cannot be reached; logins go on without them');
      return undefined;
    }
  }

  private kv(): Promise<KV> {
    this.bucket ??= this.nats.js.views
      .kv(BUCKET, { ttl: FAILURE_MEMORY_MS, history: 1, replicas: this.config.streamReplicas })
      .catch((error: unknown) => {
        this.bucket = undefined;
        throw error;
      });
    return this.bucket;
  }
}

/** KV keys allow few characters; usernames and IPv6 addresses need more. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
