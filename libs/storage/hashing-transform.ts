import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ObjectTooLargeError } from './object-store.errors';

/** Passes bytes through unchanged, counting them and hashing them (SHA-256); fails past `maxBytes`. */
export class HashingTransform extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private digest: string | undefined;

  constructor(
    private readonly maxBytes = Number.MAX_SAFE_INTEGER,
    private readonly key?: string,
  ) {
    super();
  }

  get size(): number {
    return this.bytes;
  }

  /** Lowercase hex; only after the stream finished. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('the digest is known once the stream has ended');
    return this.digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(new ObjectTooLargeError(this.key, this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    done();
  }
}
