import { DomainException, ErrorCode, PhotoContentType, THUMBNAIL_EDGE } from '@cg/contracts';
import sharp, { Sharp } from 'sharp';

/** Larger than any phone camera takes (a 48 MP sensor is 8064 x 6048); refuses decompression bombs. */
const MAX_INPUT_PIXELS = 64_000_000;

export type StoredContentType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface ProcessedPhoto {
  image: Buffer;
  contentType: StoredContentType;
  width: number;
  height: number;
  /** WebP, at most THUMBNAIL_EDGE pixels on its long edge. */
  thumbnail: Buffer;
}

interface DecodedHeic {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** libheif compiled to WebAssembly, loaded on the first HEIC: sharp's prebuilt libvips decodes AV1 only, not HEVC. */
async function decodeHeic(bytes: Buffer): Promise<Sharp> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const decode = require('heic-decode') as (input: { buffer: Uint8Array }) => Promise<DecodedHeic>;
  // libheif applies the HEIF rotation and mirror properties, so the pixels are already upright.
  const { width, height, data } = await decode({ buffer: bytes });
  if (width * height > MAX_INPUT_PIXELS) throw new Error('too many pixels');
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 4 } });
}

/**
 * Re-encodes an upload so that nothing but pixels leaves it: sharp writes no EXIF, XMP or IPTC unless asked, so a
 * phone's GPS position is gone. The EXIF orientation is applied to the pixels first, so the photo stays upright.
 * JPEG, PNG and WebP keep their format; HEIC, which few browsers show, is stored as JPEG.
 */
export async function processPhoto(bytes: Buffer, format: PhotoContentType): Promise<ProcessedPhoto> {
  try {
    const pipeline =
      format === 'image/heic'
        ? await decodeHeic(bytes)
        : sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).autoOrient();
    const contentType: StoredContentType = format === 'image/heic' ? 'image/jpeg' : format;
    const encoded =
      contentType === 'image/png'
        ? pipeline.png()
        : contentType === 'image/webp'
          ? pipeline.webp({ quality: 85 })
          : pipeline.jpeg({ quality: 85, mozjpeg: true });
    const { data: image, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(image)
      .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return { image, contentType, width: info.width, height: info.height, thumbnail };
  } catch (error) {
    throw new DomainException(ErrorCode.PHOTO_UNREADABLE, `The file looks like ${format} but cannot be read as an image`, [
      { field: 'file', reason: error instanceof Error ? error.message : String(error) },
    ]);
  }
}
