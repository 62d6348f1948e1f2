import { ErrorCode } from '@cg/contracts';
import exifr from 'exifr';
import sharp from 'sharp';
import { photoFormatOf } from './photo-format';
import { processPhoto } from './photo-processing';

const GPS = {
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 11/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 26/1 0/1' },
};

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 40 } } });

describe('processPhoto', () => {
  it('drops the GPS position of a phone JPEG', async () => {
    const taken = await canvas(64, 32).jpeg().withExif({ IFD0: { Make: 'Phone' }, ...GPS }).toBuffer();
    expect(await exifr.gps(taken)).toMatchObject({ latitude: expect.closeTo(31.18, 2) });

    const kept = await processPhoto(taken, 'image/jpeg');

    expect(kept.contentType).toBe('image/jpeg');
    expect(photoFormatOf(kept.image)).toBe('image/jpeg');
    expect(await exifr.gps(kept.image)).toBeUndefined();
    expect((await sharp(kept.image).metadata()).exif).toBeUndefined();
  });

  it('turns a photo taken sideways upright before dropping its orientation tag', async () => {
    const taken = await canvas(64, 32).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(taken).metadata()).orientation).toBe(6);

    const kept = await processPhoto(taken, 'image/jpeg');

    expect({ width: kept.width, height: kept.height }).toEqual({ width: 32, height: 64 });
    expect((await sharp(kept.image).metadata()).orientation).toBeUndefined();
  });

  it('keeps PNG and WebP in their format', async () => {
    const png = await processPhoto(await canvas(30, 20).png().toBuffer(), 'image/png');
    const webp = await processPhoto(await canvas(30, 20).webp().toBuffer(), 'image/webp');
    expect([png.contentType, photoFormatOf(png.image), png.width, png.height]).toEqual(['image/png', 'image/png', 30, 20]);
    expect([webp.contentType, photoFormatOf(webp.image)]).toEqual(['image/webp', 'image/webp']);
  });

  it('makes a WebP thumbnail at most 320 pixels on its long edge, keeping the aspect', async () => {
    const kept = await processPhoto(await canvas(1600, 900).jpeg().toBuffer(), 'image/jpeg');
    const thumbnail = await sharp(kept.thumbnail).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['webp', 320, 180]);
  });

  it('does not enlarge a photo smaller than a thumbnail', async () => {
    const kept = await processPhoto(await canvas(100, 50).png().toBuffer(), 'image/png');
    expect((await sharp(kept.thumbnail).metadata()).width).toBe(100);
  });

  it('refuses a file with a JPEG signature and nothing readable after it', async () => {
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    await expect(processPhoto(broken, 'image/jpeg')).rejects.toMatchObject({ code: ErrorCode.PHOTO_UNREADABLE });
  });

  it('refuses a file with a HEIC header and no image in it', async () => {
    const broken = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]);
    expect(photoFormatOf(broken)).toBe('image/heic');
    await expect(processPhoto(broken, 'image/heic')).rejects.toMatchObject({ code: ErrorCode.PHOTO_UNREADABLE });
  });
});
