import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, PhotoPage, PhotoStage, PhotoView, Principal, hasAnyRole } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { SERVICE_CONFIG } from '@cg/observability';
import { newId } from '@cg/persistence';
import { GatewayConfig } from '../config';
import { AttachmentStore } from './attachment-store';
import { AttachmentTarget } from './attachment-targets';
import { photoFormatOf } from './photo-format';
import { PhotoRecord, photosOfStage } from './photo-index';
import { processPhoto } from './photo-processing';

/** One object that photos are attached to. */
export interface PhotoOwner {
  target: AttachmentTarget;
  communityId: string;
  objectId: string;
}

export interface PhotoContent {
  contentType: string;
  size: number;
  chunks: AsyncIterable<Uint8Array>;
}

const STAGES = Object.values(PhotoStage) as string[];

function indexKey({ target, communityId, objectId }: PhotoOwner): string {
  return `${communityId}.${target.kind}.${objectId}`;
}

function objectName({ target, communityId, objectId }: PhotoOwner, photoId: string): string {
  return `${communityId}/${target.kind}/${objectId}/${photoId}`;
}

function thumbnailName(owner: PhotoOwner, photoId: string): string {
  return `${objectName(owner, photoId)}/thumb`;
}

function invalid(field: string, reason: string): DomainException {
  return new DomainException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', [{ field, reason }]);
}

/**
 * Photos of cases, micro-wishes, announcements, service requests and consultations. The owning service decides who
 * may see the object, asked with the caller's own token before anything is stored or served; the gateway decides the
 * format, size and count, and strips what a phone writes into a photo besides its pixels.
 */
@Injectable()
export class PhotosService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly store: AttachmentStore,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  get maxBytes(): number {
    return this.config.photos.maxBytes;
  }

  async upload(owner: PhotoOwner, caller: Principal, rawStage: string | undefined, readFile: () => Promise<Buffer>): Promise<PhotoView> {
    const stage = this.stageOf(owner.target, rawStage);
    const { target } = owner;
    if (target.uploaders && !hasAnyRole(caller, target.uploaders)) {
      throw new DomainException(ErrorCode.FORBIDDEN, `Photos of an ${target.noun} are added by: ${target.uploaders.join(', ')}`);
    }
    await target.find(this.rpc, owner.communityId, owner.objectId);
    const bytes = await readFile();
    const format = photoFormatOf(bytes);
    if (!format) {
      throw new DomainException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'The file is not a JPEG, PNG, WebP or HEIC image', [
        { field: 'file', reason: 'its bytes are none of image/jpeg, image/png, image/webp, image/heic' },
      ]);
    }
    const limit = this.config.photos.perObject;
    // Refused early to spare the decoding; the conditional write below is what decides.
    if (photosOfStage(await this.store.entry(indexKey(owner)), stage).length >= limit) throw this.full(owner, stage);
    const processed = await processPhoto(bytes, format);
    const record: PhotoRecord = {
      // A retried upload (same Idempotency-Key) gets the same id, so it is listed once.
      id: newId('photo').toHexString(),
      ...(stage && { stage }),
      contentType: processed.contentType,
      size: processed.image.length,
      width: processed.width,
      height: processed.height,
      uploadedBy: caller.sub,
      uploadedAt: new Date().toISOString(),
    };
    const names = [objectName(owner, record.id), thumbnailName(owner, record.id)];
    await this.store.put(names[0], processed.image);
    await this.store.put(names[1], processed.thumbnail);
    let addition;
    try {
      addition = await this.store.record(indexKey(owner), record, limit);
    } catch (error) {
      await this.store.delete(...names).catch(() => undefined);
      throw error;
    }
    if (addition.outcome === 'full') {
      await this.store.delete(...names);
      throw this.full(owner, stage);
    }
    return this.view(owner, addition.photo);
  }

  async list(owner: PhotoOwner): Promise<PhotoPage> {
    await owner.target.find(this.rpc, owner.communityId, owner.objectId);
    const entry = await this.store.entry(indexKey(owner));
    return { items: (entry?.photos ?? []).map((photo) => this.view(owner, photo)) };
  }

  async open(owner: PhotoOwner, photoId: string, variant: 'image' | 'thumbnail'): Promise<PhotoContent> {
    await owner.target.find(this.rpc, owner.communityId, owner.objectId);
    const photo = (await this.store.entry(indexKey(owner)))?.photos.find((kept) => kept.id === photoId);
    if (!photo) throw this.missing(owner, photoId);
    const found = await this.store.read(variant === 'image' ? objectName(owner, photoId) : thumbnailName(owner, photoId));
    if (!found) throw this.missing(owner, photoId);
    return { contentType: variant === 'image' ? photo.contentType : 'image/webp', ...found };
  }

  async remove(owner: PhotoOwner, caller: Principal, photoId: string): Promise<void> {
    await owner.target.find(this.rpc, owner.communityId, owner.objectId);
    const removed = await this.store.unrecord(indexKey(owner), photoId, (photo) => {
      if (photo.uploadedBy !== caller.sub && !hasAnyRole(caller, owner.target.staff)) {
        throw new DomainException(ErrorCode.FORBIDDEN, 'Only the uploader or staff may delete this photo');
      }
    });
    if (!removed) throw this.missing(owner, photoId);
    await this.store.delete(objectName(owner, photoId), thumbnailName(owner, photoId));
  }

  private stageOf(target: AttachmentTarget, raw: string | undefined): PhotoStage | undefined {
    if (!target.staged) {
      if (raw !== undefined) throw invalid('stage', `photos of a ${target.noun} have no stage`);
      return undefined;
    }
    if (raw === undefined || !STAGES.includes(raw)) throw invalid('stage', `stage must be one of: ${STAGES.join(', ')}`);
    return raw as PhotoStage;
  }

  private view(owner: PhotoOwner, photo: PhotoRecord): PhotoView {
    const downloadPath = `/api/v1/communities/${owner.communityId}/${owner.target.kind}/${owner.objectId}/photos/${photo.id}`;
    return { ...photo, downloadPath, thumbnailPath: `${downloadPath}/thumbnail` };
  }

  private full(owner: PhotoOwner, stage: PhotoStage | undefined): DomainException {
    const of = stage ? `${stage}-photos` : 'photos';
    return new DomainException(
      ErrorCode.PHOTO_LIMIT_REACHED,
      `This ${owner.target.noun} already has ${this.config.photos.perObject} ${of}, the most it may have`,
    );
  }

  private missing(owner: PhotoOwner, photoId: string): DomainException {
    return new DomainException(ErrorCode.NOT_FOUND, `No photo ${photoId} on this ${owner.target.noun}`);
  }
}
