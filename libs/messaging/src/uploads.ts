import { Inject, Injectable } from '@nestjs/common';
import { UPLOADS_BUCKET } from '@cg/contracts';
import { SERVICE_CONFIG, ServiceConfig } from '@cg/observability';
import { ObjectStore, StorageType, nanos } from 'nats';
import { NatsConnection } from './nats-connection';

/** Files nobody took up (the gateway stored one, then the service was unreachable) are dropped after this. */
const UPLOAD_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Files too large for one NATS message (a 40,000-row spreadsheet export), handed from the gateway to a service
 * through a JetStream object store: stored in chunks on the servers' disks, with the replicas the streams have,
 * so a file accepted from a client survives a restart of the service that works on it.
 */
@Injectable()
export class UploadStore {
  private bucket?: Promise<ObjectStore>;

  constructor(
    private readonly nats: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async put(name: string, data: Uint8Array): Promise<void> {
    await (await this.store()).putBlob({ name }, data);
  }

  /** The file, or null when there is none by that name (never stored, taken away, or expired). */
  async get(name: string): Promise<Uint8Array | null> {
    return (await this.store()).getBlob(name);
  }

  /** The file's chunks as the servers send them, so a large file is never held whole; null when there is none. */
  async read(name: string): Promise<AsyncIterable<Uint8Array> | null> {
    const found = await (await this.store()).get(name);
    if (!found) return null;
    const { data, error } = found;
    return (async function* () {
      for await (const chunk of data as unknown as AsyncIterable<Uint8Array>) yield chunk;
      const broken = await error;
      if (broken) throw broken;
    })();
  }

  async delete(name: string): Promise<void> {
    const store = await this.store();
    if (await store.info(name)) await store.delete(name);
  }

  private store(): Promise<ObjectStore> {
    this.bucket ??= this.nats.js.views
      .os(UPLOADS_BUCKET, {
        storage: StorageType.File,
        replicas: this.config.streamReplicas,
        ttl: nanos(UPLOAD_TTL_MS),
      })
      .catch((error) => {
        this.bucket = undefined;
        throw error;
      });
    return this.bucket;
  }
}
