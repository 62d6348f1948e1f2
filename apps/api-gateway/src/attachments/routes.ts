import { AttachmentStore } from './attachment-store';
import { ATTACHMENT_TARGETS } from './attachment-targets';
import { photosControllerFor } from './photos.controller';
import { PhotosService } from './photos.service';

/** Photo routes under every object photos can be attached to. */
export const ATTACHMENT_ROUTES = ATTACHMENT_TARGETS.map(photosControllerFor);
export const ATTACHMENT_PROVIDERS = [AttachmentStore, PhotosService];
