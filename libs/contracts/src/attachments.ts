import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** JetStream object store bucket holding the photos and their thumbnails. */
export const ATTACHMENTS_BUCKET = 'attachments';
/** JetStream key-value bucket with one entry per object that has photos: the list, and what the count limit is decided on. */
export const ATTACHMENT_INDEX_BUCKET = 'attachment_index';

/** What a photo can be attached to; the value is the path segment of the object's routes. */
export enum AttachmentKind {
  Case = 'cases',
  MicroWish = 'micro-wishes',
  Announcement = 'announcements',
  ServiceRequest = 'service-requests',
  Consultation = 'consultations',
}

/** A case's photos are taken before the work (by the reporter) or after it (by whoever handled it). */
export enum PhotoStage {
  Before = 'before',
  After = 'after',
}

export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type PhotoContentType = (typeof PHOTO_CONTENT_TYPES)[number];

export const DEFAULT_PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_PHOTOS_PER_OBJECT = 9;
/** Long edge of a thumbnail, in pixels. */
export const THUMBNAIL_EDGE = 320;

export class PhotoUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'One JPEG, PNG, WebP or HEIC image' })
  file: unknown;
}

export class PhotoView {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ enum: PhotoStage, description: 'Case photos only' }) stage?: PhotoStage;
  @ApiProperty({
    enum: ['image/jpeg', 'image/png', 'image/webp'],
    description: 'Of the stored image; a HEIC upload is stored as JPEG',
  })
  contentType: string;
  @ApiProperty({ description: 'Bytes of the stored image' }) size: number;
  @ApiProperty() width: number;
  @ApiProperty() height: number;
  @ApiProperty({ description: 'Account id of the uploader' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiProperty({ example: '/api/v1/communities/665f.../cases/665f.../photos/665f...' }) downloadPath: string;
  @ApiProperty({ example: '/api/v1/communities/665f.../cases/665f.../photos/665f.../thumbnail' }) thumbnailPath: string;
}

export class PhotoPage {
  @ApiProperty({ type: [PhotoView], description: 'Oldest first; bounded by the count limit, so never more than one page' })
  items: PhotoView[];
}
