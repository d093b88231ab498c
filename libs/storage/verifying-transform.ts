import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ObjectIntegrityError } from './object-store.errors';

/**
 * Passes content through and, at its end, checks it against the size and SHA-256 recorded at
 * write time: a reader either gets all of what was written or an ObjectIntegrityError.
 */
export class VerifyingTransform extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  constructor(
    private readonly key: string,
    private readonly expected: { size: number; sha256?: string },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expected.size)
      return done(new ObjectIntegrityError(`object "${this.key}" is longer than recorded`, this.key));
    if (this.expected.sha256) this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.expected.size)
      return done(
        new ObjectIntegrityError(
          `object "${this.key}" has ${this.bytes} bytes, ${this.expected.size} were recorded`,
          this.key,
        ),
      );
    if (this.expected.sha256 && this.hash.digest('hex') !== this.expected.sha256)
      return done(new ObjectIntegrityError(`object "${this.key}" does not match its SHA-256`, this.key));
    done();
  }
}
