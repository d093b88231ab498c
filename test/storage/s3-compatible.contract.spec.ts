import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { KeyRing } from '@personae/crypto';
import { EncryptedObjectStore, ObjectNotFoundError, S3ObjectStore } from '@personae/storage';
import { describeObjectStoreContract } from './object-store.contract';
import { S3CompatibleServer, startS3CompatibleServerProcess } from './s3-compatible.server';

/**
 * The S3 adapter, through the real MinIO client, against an S3-compatible server this test starts
 * (no MinIO binary or Docker engine here). `s3.contract.spec.ts` runs the same suite on a real one.
 */
const PART = 5 * 1024 * 1024;

async function openS3(bucket: string): Promise<{ server: S3CompatibleServer; store: S3ObjectStore }> {
  const server = await S3CompatibleServer.start();
  const store = new S3ObjectStore({
    endpoint: server.endpoint,
    bucket,
    accessKey: server.accessKey,
    secretKey: 'not-checked-by-the-test-server',
    partSize: PART,
  });
  await store.ensureBucket();
  return { server, store };
}

/** The contract runs the server in a child process, so the memory bound measures the adapter alone. */
async function openS3InChild(): Promise<{ store: S3ObjectStore; close: () => Promise<void> }> {
  const server = await startS3CompatibleServerProcess();
  const store = new S3ObjectStore({
    endpoint: server.endpoint,
    bucket: 'personae-contract',
    accessKey: server.accessKey,
    secretKey: 'not-checked-by-the-test-server',
    partSize: PART,
  });
  await store.ensureBucket();
  return { store, close: server.close };
}

describeObjectStoreContract('S3 (in-test S3-compatible server)', async () => ({
  ...(await openS3InChild()),
  largeBytes: PART,
}));

describeObjectStoreContract('encrypted(S3, in-test S3-compatible server)', async () => {
  const { store, close } = await openS3InChild();
  const ring = new KeyRing([{ id: 'contract', key: randomBytes(32) }]);
  return { store: new EncryptedObjectStore(store, ring), largeBytes: PART, close };
});

describe('S3 object store', () => {
  let server: S3CompatibleServer;
  let store: S3ObjectStore;

  beforeEach(async () => {
    ({ server, store } = await openS3('personae-s3'));
  });

  afterEach(async () => {
    await server.close();
  });

  it('creates its bucket once, and again safely', async () => {
    expect(server.requests.filter((r) => r === 'PUT /personae-s3')).toHaveLength(1);
    await store.ensureBucket();
    expect(server.requests.filter((r) => r === 'PUT /personae-s3')).toHaveLength(1);
    await expect(store.ping()).resolves.toBeUndefined();
    const other = new S3ObjectStore({
      endpoint: server.endpoint,
      bucket: 'never-created',
      accessKey: server.accessKey,
      secretKey: 'x',
    });
    await expect(other.ping()).rejects.toThrow(/does not exist/);
  });

  it('writes a short stream in one PUT with its digest, a long one by multipart upload and copy', async () => {
    await store.put('short', Readable.from([randomBytes(1000)]));
    expect(server.requests.some((r) => r.includes('?uploads'))).toBe(false);
    const put = await store.put(
      'long',
      Readable.from([randomBytes(PART), randomBytes(PART), randomBytes(10)]),
    );
    expect(server.requests.filter((r) => r.includes('partNumber=')).length).toBeGreaterThanOrEqual(3);
    expect(
      server.requests.some((r) => r.startsWith('POST /personae-s3/.uploads/') && r.endsWith('?uploads')),
    ).toBe(true);
    // The key appears only through the copy; the staging object and upload are gone.
    expect(server.keys('personae-s3')).toEqual(['long', 'short']);
    expect(server.pendingUploads).toBe(0);
    expect(await store.head('long')).toMatchObject({ size: 2 * PART + 10, sha256: put.sha256 });
  });

  it('aborts the multipart upload and leaves nothing when a long stream fails', async () => {
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(PART + 100);
        yield randomBytes(PART + 100);
        throw new Error('client went away');
      })(),
    );
    await expect(store.put('broken', failing)).rejects.toThrow('client went away');
    expect(server.keys('personae-s3')).toEqual([]);
    expect(server.pendingUploads).toBe(0);
    await expect(store.get('broken')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('hides staging uploads from listings', async () => {
    await store.put('visible', Buffer.from('x'));
    // A staging object left by a process that died between upload and copy.
    await new S3ObjectStore({
      endpoint: server.endpoint,
      bucket: 'personae-s3',
      accessKey: server.accessKey,
      secretKey: 'x',
    })['client'].putObject('personae-s3', '.uploads/left-over', Buffer.from('y'));
    expect((await store.list('')).keys).toEqual(['visible']);
  });
});
