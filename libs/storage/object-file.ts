import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { ObjectInfo } from './object-store.port';
import { ObjectIntegrityError } from './object-store.errors';

/**
 * The filesystem store's file format: the content, then its metadata, then a fixed footer:
 *   content ‖ metadata JSON ‖ u32be(JSON length) ‖ first 20 bytes of SHA-256(JSON) ‖ "PEOBJ1\r\n"
 * One file, so content and metadata change together in one rename.
 */
export interface StoredMeta {
  v: 1;
  key: string;
  size: number;
  sha256: string;
  contentType: string;
  metadata: Record<string, string>;
}

const MAGIC = Buffer.from('PEOBJ1\r\n', 'ascii');
const META_DIGEST = 20;
const FOOTER = 4 + META_DIGEST + MAGIC.length;
const MAX_META_BYTES = 64 * 1024;

export function encodeTrailer(meta: StoredMeta): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const footer = Buffer.alloc(FOOTER);
  footer.writeUInt32BE(json.length, 0);
  createHash('sha256').update(json).digest().copy(footer, 4, 0, META_DIGEST);
  MAGIC.copy(footer, 4 + META_DIGEST);
  return Buffer.concat([json, footer]);
}

export async function readTrailer(handle: FileHandle, key: string): Promise<{ info: ObjectInfo }> {
  const corrupt = (why: string): ObjectIntegrityError =>
    new ObjectIntegrityError(`object "${key}" is corrupt: ${why}`, key);
  const { size: fileSize } = await handle.stat();
  if (fileSize < FOOTER) throw corrupt('shorter than its footer');
  const footer = await readAt(handle, fileSize - FOOTER, FOOTER);
  if (!footer.subarray(4 + META_DIGEST).equals(MAGIC)) throw corrupt('bad footer');
  const length = footer.readUInt32BE(0);
  if (length > MAX_META_BYTES || length + FOOTER > fileSize) throw corrupt('bad metadata length');
  const json = await readAt(handle, fileSize - FOOTER - length, length);
  const digest = createHash('sha256').update(json).digest().subarray(0, META_DIGEST);
  if (!digest.equals(footer.subarray(4, 4 + META_DIGEST)))
    throw corrupt('metadata does not match its digest');
  let meta: StoredMeta;
  try {
    meta = JSON.parse(json.toString('utf8')) as StoredMeta;
  } catch {
    throw corrupt('metadata is not JSON');
  }
  const valid =
    meta.v === 1 &&
    meta.key === key &&
    meta.size === fileSize - FOOTER - length &&
    typeof meta.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(meta.sha256) &&
    typeof meta.contentType === 'string' &&
    typeof meta.metadata === 'object' &&
    meta.metadata !== null &&
    Object.values(meta.metadata).every((value) => typeof value === 'string');
  // A file moved here from another key fails `meta.key === key`.
  if (!valid) throw corrupt('metadata does not describe this object');
  return {
    info: {
      key,
      size: meta.size,
      sha256: meta.sha256,
      contentType: meta.contentType,
      metadata: { ...meta.metadata },
    },
  };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let offset = 0;
  while (offset < length) {
    const { bytesRead } = await handle.read(buffer, offset, length - offset, position + offset);
    if (bytesRead === 0) throw new ObjectIntegrityError('file ended early');
    offset += bytesRead;
  }
  return buffer;
}

export async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}
