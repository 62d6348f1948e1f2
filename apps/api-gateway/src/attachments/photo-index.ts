import { PhotoStage } from '@cg/contracts';

/** What the index keeps of one photo; the bytes are in the object store. */
export interface PhotoRecord {
  id: string;
  stage?: PhotoStage;
  contentType: string;
  size: number;
  width: number;
  height: number;
  uploadedBy: string;
  uploadedAt: string;
}

/** The index entry of one object: its photos, oldest first. */
export interface PhotoIndexEntry {
  photos: PhotoRecord[];
}

export type PhotoAddition =
  | { outcome: 'added'; entry: PhotoIndexEntry; photo: PhotoRecord }
  /** The same photo id is already there: the same upload retried with its Idempotency-Key. */
  | { outcome: 'present'; photo: PhotoRecord }
  | { outcome: 'full' };

export function photosOfStage(entry: PhotoIndexEntry | null, stage: PhotoStage | undefined): PhotoRecord[] {
  return (entry?.photos ?? []).filter((photo) => photo.stage === stage);
}

/** The entry with `photo` added, unless the object already has `limit` photos of its stage. */
export function addPhoto(entry: PhotoIndexEntry | null, photo: PhotoRecord, limit: number): PhotoAddition {
  const present = entry?.photos.find((kept) => kept.id === photo.id);
  if (present) return { outcome: 'present', photo: present };
  if (photosOfStage(entry, photo.stage).length >= limit) return { outcome: 'full' };
  return { outcome: 'added', entry: { photos: [...(entry?.photos ?? []), photo] }, photo };
}

/** The entry without the photo `photoId`, or null when it has no such photo. */
export function removePhoto(entry: PhotoIndexEntry | null, photoId: string): { entry: PhotoIndexEntry; photo: PhotoRecord } | null {
  const photo = entry?.photos.find((kept) => kept.id === photoId);
  if (!entry || !photo) return null;
  return { entry: { photos: entry.photos.filter((kept) => kept.id !== photoId) }, photo };
}
