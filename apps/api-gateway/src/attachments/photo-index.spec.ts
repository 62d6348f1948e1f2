import { PhotoStage } from '@cg/contracts';
import { PhotoRecord, addPhoto, photosOfStage, removePhoto } from './photo-index';

const photo = (id: string, stage?: PhotoStage): PhotoRecord => ({
  id,
  stage,
  contentType: 'image/jpeg',
  size: 1000,
  width: 40,
  height: 30,
  uploadedBy: 'acct-1',
  uploadedAt: '2026-06-01T08:00:00.000Z',
});

describe('the photo index of one object', () => {
  it('adds the first photo to an object that has none', () => {
    expect(addPhoto(null, photo('a'), 9)).toEqual({ outcome: 'added', entry: { photos: [photo('a')] }, photo: photo('a') });
  });

  it('keeps photos oldest first', () => {
    const added = addPhoto({ photos: [photo('a')] }, photo('b'), 9);
    expect(added.outcome === 'added' && added.entry.photos.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('refuses a photo past the limit of its stage', () => {
    const entry = { photos: [photo('a', PhotoStage.Before), photo('b', PhotoStage.Before)] };
    expect(addPhoto(entry, photo('c', PhotoStage.Before), 2)).toEqual({ outcome: 'full' });
  });

  it('counts the limit per stage, so after-photos do not use up before-photos', () => {
    const entry = { photos: [photo('a', PhotoStage.Before), photo('b', PhotoStage.Before)] };
    expect(addPhoto(entry, photo('c', PhotoStage.After), 2).outcome).toBe('added');
    expect(photosOfStage(entry, PhotoStage.After)).toEqual([]);
  });

  it('answers the photo already there when the same id comes again, even at the limit', () => {
    const entry = { photos: [photo('a'), photo('b')] };
    expect(addPhoto(entry, { ...photo('b'), size: 5 }, 2)).toEqual({ outcome: 'present', photo: photo('b') });
  });

  it('removes one photo and leaves the others in order', () => {
    const removed = removePhoto({ photos: [photo('a'), photo('b'), photo('c')] }, 'b');
    expect(removed).toEqual({ entry: { photos: [photo('a'), photo('c')] }, photo: photo('b') });
  });

  it('finds nothing to remove on an object without that photo', () => {
    expect(removePhoto(null, 'a')).toBeNull();
    expect(removePhoto({ photos: [photo('a')] }, 'z')).toBeNull();
  });
});
