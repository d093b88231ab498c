import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { KeyRing } from '@personae/crypto';
import {
  EncryptedObjectStore,
  FilesystemObjectStore,
  InvalidObjectMetadataError,
  ObjectIntegrityError,
} from '@personae/storage';
import { describeObjectStoreContract } from './object-store.contract';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const kek = (id: string): { id: string; key: Buffer } => ({ id, key: randomBytes(32) });

async function openStores(
  ring: KeyRing,
  segmentSizeLog2?: number,
): Promise<{
  inner: FilesystemObjectStore;
  store: EncryptedObjectStore;
  close: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'personae-encrypted-'));
  const inner = new FilesystemObjectStore(join(dir, 'objects'));
  await inner.init();
  const store = new EncryptedObjectStore(inner, ring, { segmentSizeLog2 });
  return { inner, store, close: () => rm(dir, { recursive: true, force: true }) };
}

describeObjectStoreContract('encrypted(filesystem)', async () => {
  const { store, close } = await openStores(new KeyRing([kek('contract')]));
  return { store, close };
});

describe('encrypted object store', () => {
  const first = kek('kek-1');
  let ring: KeyRing;
  let inner: FilesystemObjectStore;
  let store: EncryptedObjectStore;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ring = new KeyRing([first]);
    // Small segments: these tests cross many segment boundaries.
    ({ inner, store, close } = await openStores(ring, 12));
  });

  afterEach(async () => {
    await close();
  });

  it('stores ciphertext only, and reports the plaintext size and digest', async () => {
    const secret = Buffer.from('the persona was trained on confidential notes '.repeat(200));
    const result = await store.put('archives/s-1', secret, { contentType: 'text/plain' });
    const stored = await readFile(inner.pathOf('archives/s-1'));
    expect(stored.includes(Buffer.from('confidential'))).toBe(false);
    expect(stored.subarray(0, 4).toString()).toBe('PEE1');
    const innerInfo = await inner.head('archives/s-1');
    expect(innerInfo?.size).toBeGreaterThan(secret.length);
    expect(innerInfo?.sha256).not.toBe(result.sha256);
    expect(await store.head('archives/s-1')).toEqual({
      key: 'archives/s-1',
      size: secret.length,
      sha256: result.sha256,
      contentType: 'text/plain',
      metadata: {},
    });
  });

  it('fails to read after a flipped bit anywhere in the stored file', async () => {
    const data = randomBytes(3 * 4096 + 100);
    await store.put('t/x', Readable.from([data]), { metadata: { kind: 'attachment' } });
    const path = inner.pathOf('t/x');
    const original = await readFile(path);
    const positions = [0, 4, 6, 20, 70, 80, 100, 4096, 4096 + 16 + 5, 2 * 4112, original.length - 200];
    for (let position = 0; position < original.length; position += 997) positions.push(position);
    positions.push(...Array.from({ length: 40 }, (_, i) => original.length - 1 - i));
    for (const position of positions) {
      const copy = Buffer.from(original);
      copy[position] = copy[position]! ^ 0x80;
      await writeFile(path, copy);
      await expect(store.getBuffer('t/x')).rejects.toBeInstanceOf(ObjectIntegrityError);
    }
    await writeFile(path, original);
    expect((await store.getBuffer('t/x')).equals(data)).toBe(true);
  });

  it('refuses a ciphertext written under another key, even with intact storage metadata', async () => {
    await store.put('tenant-a/secret', Buffer.from('for tenant a'));
    const { info, body } = await inner.open('tenant-a/secret');
    // Copy through the inner store: the filesystem's own checks pass, only the AAD can object.
    await inner.put('tenant-b/secret', body, { contentType: info.contentType, metadata: info.metadata });
    await expect(store.getBuffer('tenant-b/secret')).rejects.toThrow(ObjectIntegrityError);
  });

  it('refuses metadata edited in storage (bound into the AAD), and a wrong plaintext digest', async () => {
    await store.put('m/doc', Buffer.from('content'), { metadata: { classification: 'secret' } });
    const original = await inner.open('m/doc');
    const ciphertext = await readAll(original.body);
    // Rewrites the same ciphertext in place through the inner store, with edited metadata.
    const rewrite = async (
      edit: (metadata: Record<string, string>) => void,
      contentType?: string,
    ): Promise<void> => {
      const metadata = { ...original.info.metadata };
      edit(metadata);
      await inner.put('m/doc', ciphertext, {
        contentType: contentType ?? original.info.contentType,
        metadata,
      });
    };
    await rewrite((m) => (m.classification = 'public'));
    await expect(store.getBuffer('m/doc')).rejects.toBeInstanceOf(ObjectIntegrityError);
    await rewrite(() => undefined, 'text/html');
    await expect(store.getBuffer('m/doc')).rejects.toBeInstanceOf(ObjectIntegrityError);
    await rewrite((m) => (m['personae-plain-sha256'] = '0'.repeat(64)));
    await expect(store.getBuffer('m/doc')).rejects.toBeInstanceOf(ObjectIntegrityError);
    await rewrite((m) => (m['personae-plain-size'] = '6'));
    await expect(store.getBuffer('m/doc')).rejects.toBeInstanceOf(ObjectIntegrityError);
    await rewrite(() => undefined);
    expect((await store.getBuffer('m/doc')).toString()).toBe('content');
  });

  it('refuses objects that were never encrypted', async () => {
    await inner.put('plain/object', Buffer.from('not encrypted'));
    await expect(store.get('plain/object')).rejects.toBeInstanceOf(ObjectIntegrityError);
    await expect(store.head('plain/object')).rejects.toBeInstanceOf(ObjectIntegrityError);
  });

  it('reads what an older KEK wrapped after a rotation, and nothing without the KEK', async () => {
    await store.put('r/old', Buffer.from('before rotation'));
    const rotated = new EncryptedObjectStore(inner, new KeyRing([kek('kek-2'), first]));
    expect((await rotated.getBuffer('r/old')).toString()).toBe('before rotation');
    await rotated.put('r/new', Buffer.from('after rotation'));
    expect((await readFile(inner.pathOf('r/new'))).includes(Buffer.from('kek-2'))).toBe(true);
    const stranger = new EncryptedObjectStore(inner, new KeyRing([kek('kek-1')]));
    await expect(stranger.getBuffer('r/old')).rejects.toBeInstanceOf(ObjectIntegrityError);
  });

  it('keeps its own metadata fields out of reach of callers', async () => {
    await expect(
      store.put('k/x', Buffer.from('x'), { metadata: { 'personae-plain-size': '1' } }),
    ).rejects.toBeInstanceOf(InvalidObjectMetadataError);
  });
});
