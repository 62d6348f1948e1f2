import { Inject, Injectable } from '@nestjs/common';
import { ATTACHMENTS_BUCKET, ATTACHMENT_INDEX_BUCKET, DomainException, ErrorCode } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { SERVICE_CONFIG, ServiceConfig } from '@cg/observability';
import { KV, ObjectStore, StorageType } from 'nats';
import { PhotoAddition, PhotoIndexEntry, PhotoRecord, addPhoto, removePhoto } from './photo-index';

/** Writers that lose a revision race read again; this many losses in a row is not contention but a fault. */
const MAX_REVISION_RETRIES = 50;
/** JetStream's "wrong last sequence": another writer changed the entry since it was read. */
const WRONG_LAST_SEQUENCE = 10071;

function isRevisionConflict(error: unknown): boolean {
  return (error as { api_error?: { err_code?: number } })?.api_error?.err_code === WRONG_LAST_SEQUENCE;
}

function unavailable(error: unknown): DomainException {
  return new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The photo store cannot be reached: ${String(error)}`);
}

/**
 * Photos in a JetStream object store, and per object one key-value entry listing them. The entry is the truth: a
 * photo exists when the entry lists it, and the count limit is decided by one conditional write of the entry (at the
 * revision it was read at), so of two uploads racing for the last place exactly one is listed.
 */
@Injectable()
export class AttachmentStore {
  private objects?: Promise<ObjectStore>;
  private index?: Promise<KV>;

  constructor(
    private readonly nats: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async put(name: string, data: Uint8Array): Promise<void> {
    try {
      await (await this.store()).putBlob({ name }, data);
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** The object's chunks as the servers send them, and its size; null when there is none by that name. */
  async read(name: string): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> } | null> {
    const found = await (await this.store()).get(name);
    if (!found) return null;
    const { data, error, info } = found;
    const chunks = (async function* () {
      for await (const chunk of data as unknown as AsyncIterable<Uint8Array>) yield chunk;
      const broken = await error;
      if (broken) throw broken;
    })();
    return { size: info.size, chunks };
  }

  async delete(...names: string[]): Promise<void> {
    const store = await this.store();
    for (const name of names) if (await store.info(name)) await store.delete(name);
  }

  async entry(key: string): Promise<PhotoIndexEntry | null> {
    return (await this.current(key)).entry;
  }

  /** Lists `photo` in the entry of `key` unless its stage already has `limit` photos. */
  async record(key: string, photo: PhotoRecord, limit: number): Promise<PhotoAddition> {
    return this.change(key, (entry) => {
      const addition = addPhoto(entry, photo, limit);
      return { next: addition.outcome === 'added' ? addition.entry : null, result: addition };
    });
  }

  /** Takes the photo off the entry of `key`, if `allowed` says the caller may; null when the entry does not list it. */
  async unrecord(key: string, photoId: string, allowed: (photo: PhotoRecord) => void): Promise<PhotoRecord | null> {
    return this.change(key, (entry) => {
      const removal = removePhoto(entry, photoId);
      if (removal) allowed(removal.photo);
      return { next: removal?.entry ?? null, result: removal?.photo ?? null };
    });
  }

  /** Reads the entry, applies `decide`, and writes its `next` at the revision read; a lost race decides again. */
  private async change<T>(key: string, decide: (entry: PhotoIndexEntry | null) => { next: PhotoIndexEntry | null; result: T }): Promise<T> {
    const kv = await this.kv();
    for (let attempt = 0; attempt < MAX_REVISION_RETRIES; attempt++) {
      const { entry, revision } = await this.current(key);
      const { next, result } = decide(entry);
      if (!next) return result;
      try {
        const value = JSON.stringify(next);
        if (revision === 0) await kv.create(key, value);
        else await kv.update(key, value, revision);
        return result;
      } catch (error) {
        if (!isRevisionConflict(error)) throw unavailable(error);
      }
    }
    throw new DomainException(ErrorCode.CONFLICT, 'The photos of this object are changing too fast; try again');
  }

  private async current(key: string): Promise<{ entry: PhotoIndexEntry | null; revision: number }> {
    let found;
    try {
      found = await (await this.kv()).get(key);
    } catch (error) {
      throw unavailable(error);
    }
    if (!found) return { entry: null, revision: 0 };
    // A deleted entry is written again at its delete marker's revision.
    if (found.operation !== 'PUT') return { entry: null, revision: found.revision };
    return { entry: found.json<PhotoIndexEntry>(), revision: found.revision };
  }

  private store(): Promise<ObjectStore> {
    this.objects ??= this.nats.js.views
      .os(ATTACHMENTS_BUCKET, { storage: StorageType.File, replicas: this.config.streamReplicas })
      .catch((error: unknown) => {
        this.objects = undefined;
        throw unavailable(error);
      });
    return this.objects;
  }

  private kv(): Promise<KV> {
    this.index ??= this.nats.js.views
      .kv(ATTACHMENT_INDEX_BUCKET, { history: 1, storage: StorageType.File, replicas: this.config.streamReplicas })
      .catch((error: unknown) => {
        this.index = undefined;
        throw unavailable(error);
      });
    return this.index;
  }
}
