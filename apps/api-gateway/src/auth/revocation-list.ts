import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DomainException, ErrorCode } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { Logger, PINO_LOGGER, SERVICE_CONFIG } from '@cg/observability';
import { KV, QueuedIterator, KvEntry } from 'nats';
import { GatewayConfig } from '../config';

const BUCKET = 'revoked_tokens';
const ACCESS = 'access';
const REFRESH = 'refresh';
/** How long boot waits for the list to load before serving with what it has. */
const INITIAL_LOAD_MS = 5000;

/**
 * Token ids that must no longer be accepted, in a JetStream key-value bucket shared by every gateway replica; an entry
 * outlives the token it names since the bucket keeps entries as long as a refresh token lives. Access token ids are
 * mirrored in memory through a watch, so the check on every request is a map lookup; refresh token ids are only read
 * when a refresh token is used, with an atomic create, so of two uses of one token only one succeeds.
 */
@Injectable()
export class RevocationList implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Revoked access token id → its expiry, epoch seconds. */
  private readonly revokedAccess = new Map<string, number>();
  private bucket?: Promise<KV>;
  private watcher?: QueuedIterator<KvEntry>;
  private stopped = false;
  private pruning?: NodeJS.Timeout;

  constructor(
    private readonly nats: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.pruning = setInterval(() => this.prune(), 60_000).unref();
    const loaded = new Promise<void>((resolve) => void this.watch(resolve));
    await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, INITIAL_LOAD_MS).unref())]);
  }

  /** Before the NATS connection drains, so the watch ends instead of retrying on a closed connection. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.pruning);
    this.watcher?.stop();
  }

  /** Expired tokens are refused anyway: their ids need not be held. */
  private prune(): void {
    const now = Date.now() / 1000;
    for (const [jti, expiresAt] of this.revokedAccess) if (expiresAt <= now) this.revokedAccess.delete(jti);
  }

  isAccessRevoked(jti: string): boolean {
    const expiresAt = this.revokedAccess.get(jti);
    if (expiresAt === undefined) return false;
    if (expiresAt * 1000 > Date.now()) return true;
    this.revokedAccess.delete(jti);
    return false;
  }

  /** The access token stops working on this replica at once and on the others as soon as the watch delivers. */
  async revokeAccess(jti: string, expiresAt: number): Promise<void> {
    this.revokedAccess.set(jti, expiresAt);
    await this.write(() => this.kv().then((kv) => kv.put(`${ACCESS}.${jti}`, JSON.stringify({ exp: expiresAt }))));
  }

  async revokeRefresh(jti: string, expiresAt: number): Promise<void> {
    await this.write(() => this.kv().then((kv) => kv.put(`${REFRESH}.${jti}`, JSON.stringify({ exp: expiresAt }))));
  }

  /** Marks a refresh token used; false when it was used or revoked before. */
  async consumeRefresh(jti: string, expiresAt: number): Promise<boolean> {
    const kv = await this.kv();
    return this.write(() =>
      kv.create(`${REFRESH}.${jti}`, JSON.stringify({ exp: expiresAt })).then(
        () => true,
        (error: unknown) => {
          if (/wrong last sequence|key exists/i.test(String(error))) return false;
          throw error;
        },
      ),
    );
  }

  private async write<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The token store cannot be reached: ${String(error)}`);
    }
  }

  private async watch(initialized: () => void): Promise<void> {
    while (!this.stopped) {
      try {
        const kv = await this.kv();
        this.watcher = await kv.watch({ key: `${ACCESS}.>`, initializedFn: initialized });
        for await (const entry of this.watcher) {
          const jti = entry.key.slice(ACCESS.length + 1);
          if (entry.operation === 'PUT') this.revokedAccess.set(jti, (entry.json<{ exp: number }>()).exp);
          else this.revokedAccess.delete(jti);
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'watching revoked tokens failed; retrying');
      }
      if (this.stopped || this.connectionClosed()) return;
      await new Promise((resolve) => setTimeout(resolve, 1000).unref());
    }
  }

  private connectionClosed(): boolean {
    try {
      return this.nats.nc.isClosed();
    } catch {
      return false;
    }
  }

  private kv(): Promise<KV> {
    this.bucket ??= this.nats.js.views
      .kv(BUCKET, { ttl: this.config.refreshTokenTtlSeconds * 1000, history: 1, replicas: this.config.streamReplicas })
      .catch((error: unknown) => {
        this.bucket = undefined;
        throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The token store cannot be reached: ${String(error)}`);
      });
    return this.bucket;
  }
}
