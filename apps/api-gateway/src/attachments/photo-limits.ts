import { DEFAULT_PHOTOS_PER_OBJECT, DEFAULT_PHOTO_MAX_BYTES } from '@cg/contracts';
import { ConfigError } from '@cg/observability';

export interface PhotoLimits {
  /** Largest photo upload, in bytes. */
  maxBytes: number;
  /** Photos per object, per stage for case photos. */
  perObject: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function loadPhotoLimits(env: NodeJS.ProcessEnv): PhotoLimits {
  return {
    maxBytes: positive(env, 'PHOTO_MAX_BYTES', DEFAULT_PHOTO_MAX_BYTES),
    perObject: positive(env, 'PHOTOS_PER_OBJECT', DEFAULT_PHOTOS_PER_OBJECT),
  };
}
