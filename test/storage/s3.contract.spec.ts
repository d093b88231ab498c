import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { KeyRing } from '@personae/crypto';
import { EncryptedObjectStore, S3ObjectStore } from '@personae/storage';
import { describeObjectStoreContract } from './object-store.contract';

/**
 * The object-store contract against a real S3 or MinIO: S3_ENDPOINT (+ S3_ACCESS_KEY,
 * S3_SECRET_KEY, optional S3_BUCKET) when set, otherwise a MinIO answering on 127.0.0.1:9000 with
 * its default credentials. Without either it is skipped, and says so.
 */
const LOCAL_MINIO = 'http://127.0.0.1:9000';

/** Synchronous, because jest decides which suites exist before any hook runs. */
function reachable(endpoint: string): boolean {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch(${JSON.stringify(`${endpoint}/minio/health/live`)}, { signal: AbortSignal.timeout(1000) })` +
        '.then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))',
    ],
    { timeout: 3000 },
  );
  return probe.status === 0;
}

const fromEnv = process.env.S3_ENDPOINT
  ? {
      endpoint: process.env.S3_ENDPOINT,
      accessKey: process.env.S3_ACCESS_KEY ?? '',
      secretKey: process.env.S3_SECRET_KEY ?? '',
    }
  : undefined;
const target =
  fromEnv ??
  (reachable(LOCAL_MINIO)
    ? { endpoint: LOCAL_MINIO, accessKey: 'minioadmin', secretKey: 'minioadmin' }
    : undefined);

if (!target || !target.accessKey || !target.secretKey) {
  console.log('S3 object-store contract suite skipped: set S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY');
  describe.skip('object store contract: S3', () => {
    it('needs S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY, or a MinIO on 127.0.0.1:9000', () => undefined);
  });
} else {
  const PART = 5 * 1024 * 1024;
  const open = async (): Promise<S3ObjectStore> => {
    const store = new S3ObjectStore({
      ...target,
      bucket: process.env.S3_BUCKET ?? 'personae-contract',
      partSize: PART,
    });
    await store.ensureBucket();
    return store;
  };
  describeObjectStoreContract(`S3 (${target.endpoint})`, async () => ({
    store: await open(),
    largeBytes: PART,
  }));
  describeObjectStoreContract(`encrypted(S3 ${target.endpoint})`, async () => ({
    store: new EncryptedObjectStore(await open(), new KeyRing([{ id: 'contract', key: randomBytes(32) }])),
    largeBytes: PART,
  }));
}
