import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import type { Dirent } from 'node:fs';
import { assertObjectKey, assertObjectPrefix, listOptions } from './object-key';
import { assertContentType, assertMetadata } from './object-metadata';
import { HashingTransform } from './hashing-transform';
import { VerifyingTransform } from './verifying-transform';
import { readToBuffer, toReadable } from './stream-utils';
import {
  DEFAULT_CONTENT_TYPE,
  DEFAULT_GET_BUFFER_MAX_BYTES,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  type OpenedObject,
  type OpenOptions,
  type PutOptions,
  type PutResult,
} from './object-store.port';
import { ObjectNotFoundError } from './object-store.errors';
import { encodeTrailer, readTrailer, writeAll, type StoredMeta } from './object-file';

export interface FilesystemObjectStoreOptions {
  /** Refuse bodies larger than this (default: no limit beyond the disk). */
  maxObjectBytes?: number;
}

/**
 * Objects as files under `root` (DATA_DIR/objects). Key `a/b/c` is the file `a/b/~xx/c`:
 * key segments are directories, and the last one sits in one of 256 fan-out directories
 * (`~` + two hex digits of its SHA-256) so no directory grows past what `readdir` handles well.
 *
 * One file per object holds the content and, after it, its metadata:
 *   content ‖ metadata JSON ‖ u32be(JSON length) ‖ 20 bytes of SHA-256(JSON) ‖ "PEOBJ1\r\n"
 * A sidecar file could not change together with the content in one rename, and two writers of one
 * key could then leave one's metadata beside the other's bytes. Writes go to a temporary file in
 * the same directory, fsync, then rename over the key: readers hold the inode they opened, so they
 * see a whole old or a whole new version; the last rename wins. `~` never occurs in keys, so
 * fan-out directories and temporary files (`c~tmp-<random>`) never collide with them.
 */
export class FilesystemObjectStore implements ObjectStore {
  private readonly maxObjectBytes: number;

  constructor(
    readonly root: string,
    options: FilesystemObjectStoreOptions = {},
  ) {
    this.maxObjectBytes = options.maxObjectBytes ?? Number.MAX_SAFE_INTEGER;
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  /** Where a key's file lives (for operators and tamper tests). */
  pathOf(key: string): string {
    assertObjectKey(key);
    const segments = key.split('/');
    const leaf = segments.pop()!;
    const fanOut = `~${createHash('sha256').update(leaf).digest('hex').slice(0, 2)}`;
    return join(this.root, ...segments, fanOut, leaf);
  }

  async put(key: string, body: Buffer | Uint8Array | Readable, options: PutOptions = {}): Promise<PutResult> {
    const path = this.pathOf(key);
    assertContentType(options.contentType);
    assertMetadata(options.metadata ?? {}, { allowReserved: true });
    const temporary = `${path}~tmp-${randomBytes(8).toString('hex')}`;
    const handle = await createExclusive(temporary);
    let closed = false;
    try {
      const hasher = new HashingTransform(this.maxObjectBytes, key);
      const hashed = pipeline(toReadable(body), hasher, () => undefined);
      for await (const chunk of hashed) await writeAll(handle, chunk as Buffer);
      const metadata = { ...options.metadata, ...options.trailingMetadata?.() };
      assertMetadata(metadata, { allowReserved: true });
      const stored: StoredMeta = {
        v: 1,
        key,
        size: hasher.size,
        sha256: hasher.sha256,
        contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata,
      };
      await writeAll(handle, encodeTrailer(stored));
      await handle.sync();
      closed = true;
      await handle.close();
      await rename(temporary, path);
      await syncDirectory(dirname(path));
      return { key, size: hasher.size, sha256: hasher.sha256 };
    } catch (error) {
      if (!closed) await handle.close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async open(key: string, options: OpenOptions = {}): Promise<OpenedObject> {
    const handle = await this.openFile(key);
    try {
      const { info } = await readTrailer(handle, key);
      if (info.size === 0) {
        await handle.close();
        return { info, body: Readable.from([]) };
      }
      const raw = handle.createReadStream({ start: 0, end: info.size - 1 });
      const expected = options.contentAuthenticated ? { size: info.size } : info;
      const body = pipeline(raw, new VerifyingTransform(key, expected), () => undefined);
      return { info, body };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    return (await this.open(key)).body;
  }

  async getBuffer(key: string, maxBytes = DEFAULT_GET_BUFFER_MAX_BYTES): Promise<Buffer> {
    return readToBuffer(await this.get(key), maxBytes, key);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    let handle: FileHandle;
    try {
      handle = await this.openFile(key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      throw error;
    }
    try {
      return (await readTrailer(handle, key)).info;
    } finally {
      await handle.close();
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    await this.pruneEmptyDirectories(dirname(path));
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertObjectPrefix(prefix);
    const { limit, after } = listOptions(options);
    const segments = prefix.split('/');
    segments.pop();
    const keys: string[] = [];
    const start = segments.length > 0 ? `${segments.join('/')}/` : '';
    for await (const key of walk(join(this.root, ...segments), start, prefix, after)) {
      keys.push(key);
      if (keys.length > limit) break;
    }
    if (keys.length <= limit) return { keys };
    keys.length = limit;
    return { keys, next: keys[limit - 1] };
  }

  async ping(): Promise<void> {
    const info = await stat(this.root);
    if (!info.isDirectory()) throw new Error(`${this.root} is not a directory`);
  }

  /** Temporary files of writers that died mid-write; safe to run beside live writers. */
  async removeStaleTemporaryFiles(olderThanMs = 24 * 3600_000): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    const visit = async (dir: string): Promise<void> => {
      for (const entry of await readDirectory(dir)) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await visit(path);
        else if (entry.name.includes('~tmp-')) {
          const info = await stat(path).catch(() => undefined);
          if (
            info &&
            info.mtimeMs < cutoff &&
            (await unlink(path).then(
              () => true,
              () => false,
            ))
          )
            removed++;
        }
      }
    };
    await visit(this.root);
    return removed;
  }

  private async openFile(key: string): Promise<FileHandle> {
    const path = this.pathOf(key);
    try {
      return await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  /** Empty directories left by a delete; a writer racing into one retries its mkdir. */
  private async pruneEmptyDirectories(dir: string): Promise<void> {
    while (dir.startsWith(this.root) && dir !== this.root) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
      dir = dirname(dir);
    }
  }
}

/** mkdir + exclusive create; retried because a concurrent delete may prune the directory between. */
async function createExclusive(path: string): Promise<FileHandle> {
  for (let attempt = 0; ; attempt++) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      return await open(path, 'wx', 0o600);
    } catch (error) {
      if (!isMissing(error) || attempt >= 5) throw error;
    }
  }
}

/** Makes the rename itself durable (POSIX: the directory entry needs its own fsync). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the data file itself is already synced.
  } finally {
    await handle.close();
  }
}

async function* walk(
  dir: string,
  dirKey: string,
  prefix: string,
  after: string | undefined,
): AsyncGenerator<string> {
  const items: { sortKey: string; file: boolean; path: string }[] = [];
  for (const entry of await readDirectory(dir)) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('~')) {
      for (const file of await readDirectory(path))
        if (file.isFile() && !file.name.includes('~'))
          items.push({ sortKey: dirKey + file.name, file: true, path });
    } else {
      items.push({ sortKey: `${dirKey}${entry.name}/`, file: false, path });
    }
  }
  // Keys are ASCII, so string order is byte order; a directory sorts as "name/", which places
  // its whole subtree exactly where its keys belong among this directory's files.
  items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const item of items) {
    if (item.file) {
      if (item.sortKey.startsWith(prefix) && (after === undefined || item.sortKey > after))
        yield item.sortKey;
      continue;
    }
    const sub = item.sortKey;
    if (!sub.startsWith(prefix) && !prefix.startsWith(sub)) continue;
    // Every key below starts with `sub`; skip the subtree when `after` is past all of them.
    if (after !== undefined && after > sub && !after.startsWith(sub)) continue;
    yield* walk(item.path, sub, prefix, after);
  }
}

async function readDirectory(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
