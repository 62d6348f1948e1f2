import { photoFormatOf } from './photo-format';

const bytes = (...parts: Array<number[] | string>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

describe('photoFormatOf', () => {
  it('knows a JPEG by its start-of-image marker', () => {
    expect(photoFormatOf(bytes([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10], 'Exif'))).toBe('image/jpeg');
  });

  it('knows a PNG by its eight-byte signature', () => {
    expect(photoFormatOf(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR'))).toBe('image/png');
  });

  it('knows a WebP by its RIFF container and form type', () => {
    expect(photoFormatOf(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
  });

  it('knows a HEIC by the major brand of its ftyp box', () => {
    expect(photoFormatOf(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'))).toBe('image/heic');
    expect(photoFormatOf(bytes([0, 0, 0, 0x18], 'ftypmif1', [0, 0, 0, 0], 'mif1heic'))).toBe('image/heic');
  });

  it('refuses other ISO media files such as AVIF and MP4', () => {
    expect(photoFormatOf(bytes([0, 0, 0, 0x1c], 'ftypavif', [0, 0, 0, 0], 'avifmif1'))).toBeNull();
    expect(photoFormatOf(bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'isomiso2'))).toBeNull();
  });

  it('refuses a RIFF file that is not WebP, such as a WAV', () => {
    expect(photoFormatOf(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '))).toBeNull();
  });

  it('refuses text, GIF, PDF and SVG whatever they are called', () => {
    expect(photoFormatOf(bytes('GIF89a'))).toBeNull();
    expect(photoFormatOf(bytes('%PDF-1.7'))).toBeNull();
    expect(photoFormatOf(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(photoFormatOf(bytes('hello'))).toBeNull();
  });

  it('refuses files too short to carry a signature', () => {
    expect(photoFormatOf(bytes([]))).toBeNull();
    expect(photoFormatOf(bytes([0xff, 0xd8]))).toBeNull();
    expect(photoFormatOf(bytes('RIFF'))).toBeNull();
  });
});
