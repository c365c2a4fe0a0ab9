import { Readable } from 'node:stream';

/**
 * Where the bytes of stored files live, by their SHA-256. Local disk by default; an
 * S3-compatible bucket is another implementation of the same three calls.
 */
export interface FileStore {
  /** Keeps the bytes under their hash; keeping the same bytes twice is a no-op. */
  put(sha256: string, bytes: Buffer): Promise<void>;
  /** The bytes, streamed; fails when they are not there. */
  open(sha256: string): Promise<Readable>;
}

export const FILE_STORE = Symbol('FILE_STORE');
