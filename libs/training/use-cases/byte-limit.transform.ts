import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through until `limit`, then fails the stream; `exceeded` says why it failed. */
export class ByteLimitTransform extends Transform {
  bytes = 0;
  exceeded = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.exceeded = true;
      done(new Error(`more than ${this.limit} bytes`));
      return;
    }
    done(null, chunk);
  }
}
