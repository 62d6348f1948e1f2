import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { SERVICE_CONFIG } from '@cg/observability';
import { newId } from '@cg/persistence';
import { KV, KvEntry } from 'nats';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayConfig } from '../config';

const BUCKET = 'open311_keys';
/** A key's last use is written at most this often, so busy clients do not write on every request. */
export const LAST_USE_RESOLUTION_MS = 60_000;
const API_KEY = /^([0-9a-f]{24})\.([0-9a-f]{24})\.([A-Za-z0-9_-]{43})$/;
const CAS_ATTEMPTS = 5;

export interface KeyHolder {
  sub: string;
  name: string;
}

/** An api_key as kept: the secret only as its SHA-256 (it is 256 random bits, so a fast hash is enough). */
export interface Open311Key {
  id: string;
  communityId: string;
  /** The client application the key was issued to. */
  name: string;
  secretHash: string;
  createdAt: string;
  createdBy: KeyHolder;
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: KeyHolder;
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

function isRevisionConflict(error: unknown): boolean {
  return /wrong last sequence|key exists/i.test(String(error));
}

/**
 * Open311 api_keys in a JetStream key-value bucket shared by every gateway replica, one entry per key under
 * `<communityId>.<keyId>`. The api_key names its entry and carries the secret: `<communityId>.<keyId>.<secret>`.
 * Every change is a compare-and-set on the entry's revision, so recording a use never undoes a revocation.
 */
@Injectable()
export class Open311Keys {
  private bucket?: Promise<KV>;

  constructor(
    private readonly nats: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Stores a new key; the api_key is answered here once and never again. */
  async issue(communityId: string, name: string, by: KeyHolder): Promise<{ key: Open311Key; apiKey: string }> {
    const id = newId('open311-key').toHexString();
    const secret = randomBytes(32).toString('base64url');
    const key: Open311Key = { id, communityId, name, secretHash: hashOf(secret), createdAt: new Date().toISOString(), createdBy: by };
    const kv = await this.kv();
    await this.store(() => kv.create(`${communityId}.${id}`, JSON.stringify(key)));
    return { key, apiKey: `${communityId}.${id}.${secret}` };
  }

  async list(communityId: string): Promise<Open311Key[]> {
    const kv = await this.kv();
    const names: string[] = [];
    for await (const name of await this.store(() => kv.keys(`${communityId}.*`))) names.push(name);
    const entries = await Promise.all(names.map((name) => this.store(() => kv.get(name))));
    return entries
      .filter((entry): entry is KvEntry => entry !== null && entry.operation === 'PUT')
      .map((entry) => entry.json<Open311Key>())
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The key stops working at once on every replica; revoking a revoked key changes nothing. */
  async revoke(communityId: string, keyId: string, by: KeyHolder): Promise<Open311Key> {
    const kv = await this.kv();
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const entry = await this.entry(kv, `${communityId}.${keyId}`);
      if (!entry) throw new DomainException(ErrorCode.NOT_FOUND, `No Open311 key ${keyId} in this community`);
      const key = entry.json<Open311Key>();
      if (key.revokedAt) return key;
      const revoked = { ...key, revokedAt: new Date().toISOString(), revokedBy: by };
      try {
        await kv.update(`${communityId}.${keyId}`, JSON.stringify(revoked), entry.revision);
        return revoked;
      } catch (error) {
        if (!isRevisionConflict(error)) throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The key store cannot be reached: ${String(error)}`);
      }
    }
    throw new DomainException(ErrorCode.CONFLICT, 'The key changed while it was being revoked; try again');
  }

  /** The key an api_key names, if it is live; its use is recorded. Anything else is API_KEY_INVALID. */
  async authenticate(apiKey: string | undefined): Promise<Open311Key> {
    if (!apiKey) throw new DomainException(ErrorCode.API_KEY_INVALID, 'api_key is required to file a request');
    const parts = API_KEY.exec(apiKey);
    const invalid = new DomainException(ErrorCode.API_KEY_INVALID, 'api_key is not valid');
    if (!parts) throw invalid;
    const [, communityId, keyId, secret] = parts;
    const kv = await this.kv();
    const entry = await this.entry(kv, `${communityId}.${keyId}`);
    if (!entry) throw invalid;
    const key = entry.json<Open311Key>();
    const given = Buffer.from(hashOf(secret), 'hex');
    if (key.revokedAt || !timingSafeEqual(given, Buffer.from(key.secretHash, 'hex'))) throw invalid;
    const now = new Date();
    if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) >= LAST_USE_RESOLUTION_MS) {
      const used = { ...key, lastUsedAt: now.toISOString() };
      // Another change since the read (a revocation, a use on another replica) wins: it is newer than ours.
      await kv.update(entry.key, JSON.stringify(used), entry.revision).catch((error: unknown) => {
        if (!isRevisionConflict(error)) throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The key store cannot be reached: ${String(error)}`);
      });
      return used;
    }
    return key;
  }

  private async entry(kv: KV, name: string): Promise<KvEntry | null> {
    const entry = await this.store(() => kv.get(name));
    return entry && entry.operation === 'PUT' ? entry : null;
  }

  private async store<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      // Only a create meets an existing entry: the same write retried after its reply was lost.
      if (isRevisionConflict(error)) {
        throw new DomainException(ErrorCode.CONFLICT, 'This key was issued already by an earlier attempt of the same request; revoke it and issue another');
      }
      throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The key store cannot be reached: ${String(error)}`);
    }
  }

  private kv(): Promise<KV> {
    this.bucket ??= this.nats.js.views.kv(BUCKET, { history: 1, replicas: this.config.streamReplicas }).catch((error: unknown) => {
      this.bucket = undefined;
      throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The key store cannot be reached: ${String(error)}`);
    });
    return this.bucket;
  }
}
