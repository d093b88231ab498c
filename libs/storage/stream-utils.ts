import { Readable } from 'node:stream';
import { ObjectTooLargeError } from './object-store.errors';

/** A Buffer, Uint8Array or Readable as a Readable (no copy of buffers). */
export function toReadable(body: Buffer | Uint8Array | Readable): Readable {
  if (body instanceof Readable) return body;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // One chunk, even when empty: Readable.from([]) would be fine too, but keep it explicit.
    return Readable.from(buffer.length > 0 ? [buffer] : [], { objectMode: false });
  }
  throw new TypeError('body must be a Buffer, Uint8Array or Readable');
}

/** Collects a stream into memory, refusing (and destroying the stream) past `maxBytes`. */
export async function readToBuffer(stream: Readable, maxBytes: number, key?: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      total += buffer.length;
      if (total > maxBytes) throw new ObjectTooLargeError(key, maxBytes);
      chunks.push(buffer);
    }
  } finally {
    if (!stream.destroyed) stream.destroy();
  }
  return Buffer.concat(chunks, total);
}
