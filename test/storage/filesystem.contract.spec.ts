import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { FilesystemObjectStore, ObjectIntegrityError, ObjectNotFoundError } from '@personae/storage';
import { describeObjectStoreContract } from './object-store.contract';

async function openStore(): Promise<{
  store: FilesystemObjectStore;
  root: string;
  close: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'personae-objects-'));
  const store = new FilesystemObjectStore(join(dir, 'objects'));
  await store.init();
  return { store, root: store.root, close: () => rm(dir, { recursive: true, force: true }) };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

describeObjectStoreContract('filesystem', openStore);

describe('filesystem object store', () => {
  let store: FilesystemObjectStore;
  let root: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ store, root, close } = await openStore());
  });

  afterEach(async () => {
    await close();
  });

  it('keeps every object inside its root, fanned out, one file per object and nothing left behind', async () => {
    await store.put('tenant-a/attachments/sha256/ab12', Buffer.from('attachment'));
    await store.put('tenant-a/attachments/sha256/cd34', Readable.from([Buffer.from('streamed')]));
    const files = await filesUnder(root);
    expect(files.sort()).toEqual(
      [store.pathOf('tenant-a/attachments/sha256/ab12'), store.pathOf('tenant-a/attachments/sha256/cd34')]
        .map((path) => relative(root, path))
        .sort(),
    );
    for (const file of files) {
      expect(file.startsWith(`tenant-a${sep}attachments${sep}sha256${sep}~`)).toBe(true);
      expect((await stat(join(root, file))).mode & 0o777).toBe(0o600);
    }
    // Failed writes leave no temporary file either.
    await expect(
      store.put(
        'tenant-a/broken',
        Readable.from(
          (async function* () {
            yield Buffer.from('partial');
            throw new Error('boom');
          })(),
        ),
      ),
    ).rejects.toThrow('boom');
    expect(await filesUnder(root)).toHaveLength(2);
  });

  it('detects a flipped byte anywhere in the stored file', async () => {
    const key = 'tamper/object';
    const data = Buffer.alloc(200_000, 7);
    await store.put(key, data, { metadata: { owner: 'x' } });
    const path = store.pathOf(key);
    const original = await readFile(path);
    for (const position of [
      0,
      1000,
      data.length - 1,
      data.length + 10,
      original.length - 30,
      original.length - 1,
    ]) {
      const copy = Buffer.from(original);
      copy[position] = copy[position]! ^ 0x01;
      await writeFile(path, copy);
      await expect(store.getBuffer(key)).rejects.toBeInstanceOf(ObjectIntegrityError);
    }
    await writeFile(path, original);
    expect((await store.getBuffer(key)).equals(data)).toBe(true);
  });

  it('skips only its digest pass for a caller that authenticates the content: the trailer and size still count', async () => {
    const key = 'sealed/object';
    const data = Buffer.alloc(100_000, 3);
    await store.put(key, data);
    const path = store.pathOf(key);
    const original = await readFile(path);
    const read = async (): Promise<Buffer> => {
      const chunks: Buffer[] = [];
      for await (const chunk of (await store.open(key, { contentAuthenticated: true })).body)
        chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    const content = Buffer.from(original);
    content[10] = content[10]! ^ 0x01;
    await writeFile(path, content);
    // A flipped content byte is the caller's to find (its AEAD tag does): the bytes come as stored.
    expect((await read())[10]).toBe(3 ^ 0x01);
    await expect(store.getBuffer(key)).rejects.toBeInstanceOf(ObjectIntegrityError);
    const trailer = Buffer.from(original);
    trailer[original.length - 30] = trailer[original.length - 30]! ^ 0x01;
    await writeFile(path, trailer);
    await expect(read()).rejects.toBeInstanceOf(ObjectIntegrityError);
    await writeFile(path, original);
    expect((await read()).equals(data)).toBe(true);
  });

  it('refuses a file moved in from another key', async () => {
    await store.put('a/one', Buffer.from('one'));
    await store.put('a/two', Buffer.from('two'));
    await writeFile(store.pathOf('a/two'), await readFile(store.pathOf('a/one')));
    await expect(store.head('a/two')).rejects.toBeInstanceOf(ObjectIntegrityError);
  });

  it('prunes directories a delete leaves empty, but never a sibling', async () => {
    await store.put('x/y/z', Buffer.from('1'));
    await store.put('x/w', Buffer.from('2'));
    await store.delete('x/y/z');
    expect(await readdir(join(root, 'x'))).not.toContain('y');
    expect((await store.getBuffer('x/w')).toString()).toBe('2');
    await store.delete('x/w');
    expect(await readdir(root)).toEqual([]);
    await expect(store.get('x/w')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('sweeps temporary files of writers that died, not fresh ones', async () => {
    await store.put('s/kept', Buffer.from('x'));
    const dead = `${store.pathOf('s/kept')}~tmp-0123456789abcdef`;
    const live = `${store.pathOf('s/kept')}~tmp-fedcba9876543210`;
    await writeFile(dead, 'partial');
    await writeFile(live, 'partial');
    const old = new Date(Date.now() - 2 * 24 * 3600_000);
    await utimes(dead, old, old);
    expect(await store.removeStaleTemporaryFiles()).toBe(1);
    expect((await filesUnder(root)).map((f) => join(root, f)).sort()).toEqual(
      [store.pathOf('s/kept'), live].sort(),
    );
    expect((await store.list('s/')).keys).toEqual(['s/kept']);
  });

  it('is ready only while its root is a directory', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await rm(root, { recursive: true });
    await expect(store.ping()).rejects.toThrow();
  });
});
