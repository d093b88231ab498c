import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  InvalidObjectKeyError,
  InvalidObjectMetadataError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type ObjectStore,
} from '@personae/storage';

export interface ObjectStoreTarget {
  store: ObjectStore;
  /** Bytes above which a stream takes the adapter's large-object path (S3: one part). */
  largeBytes?: number;
  close?: () => Promise<void>;
}

const MiB = 1024 * 1024;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * A real GC, so RSS shows what a store holds rather than when V8 collects. Between chunks only a
 * minor one: streamed chunks die young, so a scavenge frees them, while chunks a store keeps are
 * promoted and stay. A full GC per chunk would cost time in proportion to the whole test worker's
 * heap (seconds each in a busy CI worker), a scavenge only to the young generation.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;

/** `size` random bytes in 64 KiB chunks, produced on demand; `digest()` once consumed. */
function randomStream(
  size: number,
  onChunk: () => void = () => undefined,
): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  let produced = 0;
  let digest: string | undefined;
  const stream = new Readable({
    read() {
      if (produced >= size) {
        digest = hash.digest('hex');
        this.push(null);
        return;
      }
      const chunk = randomBytes(Math.min(64 * 1024, size - produced));
      produced += chunk.length;
      hash.update(chunk);
      onChunk();
      this.push(chunk);
    },
  });
  return {
    stream,
    digest: () => {
      if (!digest) throw new Error('stream not consumed');
      return digest;
    },
  };
}

/** Feeds `data` in uneven chunks with pauses, so concurrent writers interleave. */
function slowStream(data: Buffer, pieces = 12): Readable {
  return Readable.from(
    (async function* () {
      const step = Math.ceil(data.length / pieces);
      for (let offset = 0; offset < data.length; offset += step) {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));
        yield data.subarray(offset, offset + step);
      }
    })(),
  );
}

function failingStream(after: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield after;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('source failed mid-way');
    })(),
  );
}

async function digestOf(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * What every object store must do. Runs against the filesystem and encrypted(filesystem) stores
 * always, and against S3 (the in-test S3-compatible server, and a real one when configured).
 * Each test works under its own random prefix, so a shared bucket is fine.
 */
export function describeObjectStoreContract(name: string, open: () => Promise<ObjectStoreTarget>): void {
  describe(`object store contract: ${name}`, () => {
    let target: ObjectStoreTarget;
    let store: ObjectStore;
    let ns: string;

    beforeAll(async () => {
      target = await open();
      store = target.store;
    });

    afterAll(async () => {
      await target?.close?.();
    });

    beforeEach(() => {
      ns = `t-${randomBytes(5).toString('hex')}`;
    });

    it('round-trips a buffer with its size, SHA-256, content type and metadata', async () => {
      const data = randomBytes(100_000);
      const key = `${ns}/docs/report.v1.json`;
      const result = await store.put(key, data, {
        contentType: 'application/json; charset=utf-8',
        metadata: { tenant: 'acme', 'session-id': 'S-1 / turn 2' },
      });
      expect(result).toEqual({ key, size: data.length, sha256: sha256(data) });
      expect((await store.getBuffer(key)).equals(data)).toBe(true);
      expect(await store.head(key)).toEqual({
        key,
        size: data.length,
        sha256: sha256(data),
        contentType: 'application/json; charset=utf-8',
        metadata: { tenant: 'acme', 'session-id': 'S-1 / turn 2' },
      });
      const opened = await store.open(key);
      expect(opened.info).toEqual(await store.head(key));
      expect(await digestOf(opened.body)).toEqual({ size: data.length, sha256: sha256(data) });
      expect(await store.exists(key)).toBe(true);
    });

    it('stores empty objects, from a buffer and from a stream, with the default content type', async () => {
      const empty = sha256(Buffer.alloc(0));
      expect(await store.put(`${ns}/empty-buffer`, Buffer.alloc(0))).toMatchObject({
        size: 0,
        sha256: empty,
      });
      expect(await store.put(`${ns}/empty-stream`, Readable.from([]))).toMatchObject({
        size: 0,
        sha256: empty,
      });
      for (const key of [`${ns}/empty-buffer`, `${ns}/empty-stream`]) {
        expect(await store.getBuffer(key)).toHaveLength(0);
        expect(await store.head(key)).toMatchObject({
          size: 0,
          sha256: empty,
          contentType: 'application/octet-stream',
          metadata: {},
        });
      }
    });

    it('streams 50 MB in and out in bounded memory, hashing on the way', async () => {
      const size = 50 * MiB;
      const key = `${ns}/archives/big.bin`;
      gc();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      let chunks = 0;
      const sample = (): void => {
        if (++chunks % 16 === 0) gc({ type: 'minor' });
        peak = Math.max(peak, process.memoryUsage().rss);
      };
      const source = randomStream(size, sample);
      const result = await store.put(key, source.stream, { contentType: 'application/x-tar' });
      expect(result).toEqual({ key, size, sha256: source.digest() });
      expect(await store.head(key)).toMatchObject({ size, sha256: source.digest() });

      const hash = createHash('sha256');
      let read = 0;
      for await (const chunk of await store.get(key)) {
        hash.update(chunk as Buffer);
        read += (chunk as Buffer).length;
        sample();
      }
      expect(read).toBe(size);
      expect(hash.digest('hex')).toBe(source.digest());
      const growth = peak - baseline;
      // Bounded: a part (S3: 5 MiB, while the next one fills) or a few segments in flight, far
      // from the 50 MB that went through. A store that buffered the object would grow by 50 MB.
      expect(growth).toBeLessThan(size / 2);
    }, 120_000);

    it('reports absent objects: head undefined, reads ObjectNotFoundError, delete idempotent', async () => {
      const key = `${ns}/missing/object`;
      expect(await store.head(key)).toBeUndefined();
      expect(await store.exists(key)).toBe(false);
      await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.open(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.getBuffer(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.delete(key)).resolves.toBeUndefined();
    });

    it('deletes an object and only that one', async () => {
      await store.put(`${ns}/a/one`, Buffer.from('1'));
      await store.put(`${ns}/a/two`, Buffer.from('2'));
      await store.delete(`${ns}/a/one`);
      expect(await store.exists(`${ns}/a/one`)).toBe(false);
      await expect(store.get(`${ns}/a/one`)).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect((await store.getBuffer(`${ns}/a/two`)).toString()).toBe('2');
      expect((await store.list(`${ns}/`)).keys).toEqual([`${ns}/a/two`]);
      await store.delete(`${ns}/a/two`);
      expect((await store.list(`${ns}/`)).keys).toEqual([]);
      // The store still takes writes where everything was pruned.
      await store.put(`${ns}/a/one`, Buffer.from('again'));
      expect((await store.getBuffer(`${ns}/a/one`)).toString()).toBe('again');
    });

    it('lists by prefix in byte order, with pagination', async () => {
      const keys = [
        `${ns}/p/a`,
        `${ns}/p/b`,
        `${ns}/p/b-x`,
        `${ns}/p/b/c`,
        `${ns}/p/b/d/e`,
        `${ns}/p/b.z`,
        `${ns}/p/c`,
        `${ns}/pa`,
        `${ns}/q/x`,
      ];
      for (const key of [...keys].reverse()) await store.put(key, Buffer.from(key));
      const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect((await store.list(`${ns}/`)).keys).toEqual(sorted);
      expect((await store.list(`${ns}/p/`)).keys).toEqual(sorted.filter((k) => k.startsWith(`${ns}/p/`)));
      expect((await store.list(`${ns}/p/b`)).keys).toEqual([
        `${ns}/p/b`,
        `${ns}/p/b-x`,
        `${ns}/p/b.z`,
        `${ns}/p/b/c`,
        `${ns}/p/b/d/e`,
      ]);
      expect((await store.list(`${ns}/p`)).keys).toEqual(sorted.filter((k) => k !== `${ns}/q/x`));
      expect((await store.list(`${ns}/nothing/`)).keys).toEqual([]);
      expect((await store.list(`${ns}/p/b/c`)).keys).toEqual([`${ns}/p/b/c`]);

      const pages: string[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.list(`${ns}/`, { limit: 2, after });
        pages.push(page.keys);
        expect(page.keys.length).toBeLessThanOrEqual(2);
        if (!page.next) break;
        after = page.next;
      }
      expect(pages.flat()).toEqual(sorted);
      expect(pages.length).toBe(5);
      expect((await store.list(`${ns}/`, { after: `${ns}/p/b-x` })).keys).toEqual(sorted.slice(3));
      await expect(store.list(`${ns}/`, { limit: 0 })).rejects.toThrow(RangeError);
      await expect(store.list(`${ns}/`, { limit: 1001 })).rejects.toThrow(RangeError);
    });

    it('rejects invalid keys before touching storage', async () => {
      const invalid = [
        '',
        '/etc/passwd',
        '../outside',
        'a/../../b',
        'a/./b',
        'a//b',
        'a/',
        '.hidden',
        'a/.hidden',
        'UPPER',
        'with space',
        'back\\slash',
        'nul\0byte',
        'colon:x',
        'tilde~x',
        'caf\u00e9',
        'x'.repeat(513),
        `${'y'.repeat(201)}`,
      ];
      for (const key of invalid) {
        await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(store.head(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      }
      for (const prefix of ['../', '/abs', 'a//', 'UP', '.x']) {
        await expect(store.list(prefix)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      }
      expect((await store.list(`${ns}`)).keys).toEqual([]);
    });

    it('rejects invalid metadata and content types', async () => {
      const key = `${ns}/meta`;
      const invalid: Record<string, string>[] = [
        { Upper: 'x' },
        { ok: 'line\nbreak' },
        { ok: 'caf\u00e9' },
        { ok: ' padded' },
        { ok: '' },
        { 'content-type': 'text/plain' },
        { big: 'x'.repeat(1100) },
      ];
      for (const metadata of invalid) {
        await expect(store.put(key, Buffer.from('x'), { metadata })).rejects.toBeInstanceOf(
          InvalidObjectMetadataError,
        );
      }
      await expect(store.put(key, Buffer.from('x'), { contentType: 'not a type' })).rejects.toBeInstanceOf(
        InvalidObjectMetadataError,
      );
      expect(await store.exists(key)).toBe(false);
    });

    it('overwrites: content, digest and metadata are replaced, not merged', async () => {
      const key = `${ns}/doc`;
      await store.put(key, Buffer.from('first version'), { contentType: 'text/plain', metadata: { a: '1' } });
      const second = Buffer.from('second, longer version');
      await store.put(key, second, { metadata: { b: '2' } });
      expect((await store.getBuffer(key)).equals(second)).toBe(true);
      expect(await store.head(key)).toEqual({
        key,
        size: second.length,
        sha256: sha256(second),
        contentType: 'application/octet-stream',
        metadata: { b: '2' },
      });
    });

    it('leaves no object, and the previous version intact, when the body stream fails', async () => {
      const key = `${ns}/fails`;
      await expect(store.put(key, failingStream(randomBytes(1000)))).rejects.toThrow(/source failed/);
      expect(await store.exists(key)).toBe(false);
      await store.put(key, Buffer.from('kept'));
      const large = target.largeBytes ?? 0;
      await expect(store.put(key, failingStream(randomBytes(large + 1000)))).rejects.toThrow(/source failed/);
      expect((await store.getBuffer(key)).toString()).toBe('kept');
      expect((await store.list(`${ns}/`)).keys).toEqual([key]);
    });

    it('refuses to buffer more than getBuffer allows', async () => {
      const key = `${ns}/sized`;
      await store.put(key, randomBytes(4096));
      await expect(store.getBuffer(key, 4095)).rejects.toBeInstanceOf(ObjectTooLargeError);
      expect(await store.getBuffer(key, 4096)).toHaveLength(4096);
    });

    it('never tears an object when writers of one key race (last complete write wins)', async () => {
      const key = `${ns}/contended`;
      const size = Math.max(256 * 1024, (target.largeBytes ?? 0) + 64 * 1024);
      const versions = Array.from({ length: 4 }, () => randomBytes(size));
      const digests = new Set(versions.map(sha256));
      const reads: Promise<void>[] = [];
      let writing = true;
      // Readers race the writers: each read is absent or exactly one whole version.
      const reader = async (): Promise<void> => {
        while (writing) {
          try {
            const opened = await store.open(key);
            const { sha256: got, size: length } = await digestOf(opened.body);
            expect(length).toBe(size);
            expect(digests.has(got)).toBe(true);
            expect(opened.info.sha256).toBe(got);
          } catch (error) {
            if (!(error instanceof ObjectNotFoundError)) throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      };
      reads.push(reader(), reader());
      const results = await Promise.all(versions.map((version) => store.put(key, slowStream(version))));
      writing = false;
      await Promise.all(reads);
      for (const [i, result] of results.entries()) expect(result.sha256).toBe(sha256(versions[i]!));
      const final = await store.getBuffer(key, size);
      expect(digests.has(sha256(final))).toBe(true);
      expect((await store.head(key))?.sha256).toBe(sha256(final));
      expect((await store.list(`${ns}/`)).keys).toEqual([key]);
    }, 60_000);
  });
}
