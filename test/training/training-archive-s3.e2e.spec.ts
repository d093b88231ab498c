import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKekConfigItem } from '@personae/crypto';
import type { RunningService } from '@personae/service-kit';
import { S3ObjectStore } from '@personae/storage';
import { readTar } from '@personae/training';
import { S3CompatibleServer } from '../storage/s3-compatible.server';
import { createDatabase, jwtFor, startPlatform, uniqueTenant } from './support';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Archives on S3 (configured by S3_ENDPOINT, through the official minio client, against the S3-compatible
 * server the storage tests use) and key rotation: an archive wrapped by key k1 still reads after k2
 * becomes current, and cannot be read once k1 is removed — while k2's archives can.
 */
describe('training archives on S3, with key-encryption key rotation', () => {
  const tenant = uniqueTenant('training-s3');
  const k1 = generateKekConfigItem('k1');
  const k2 = generateKekConfigItem('k2');
  let s3: S3CompatibleServer;
  let database: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  let running: RunningService | undefined;

  const boot = async (keys: string): Promise<RunningService> => {
    await running?.stop();
    running = await startPlatform(database.url, dataDir, {
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: 'not-checked-by-the-test-server',
      S3_BUCKET: 'personae-training',
      KEY_ENCRYPTION_KEYS: keys,
    });
    return running;
  };

  beforeAll(async () => {
    s3 = await S3CompatibleServer.start();
    database = await createDatabase('training_s3');
    dataDir = mkdtempSync(join(tmpdir(), 'personae-training-s3-'));
  });

  afterAll(async () => {
    await running?.stop();
    await database?.drop();
    await s3?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const trainer = jwtFor(running!, tenant, 'alice', 'trainer');
    const raw = init.body instanceof Uint8Array;
    return fetch(`${running!.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${trainer.token}`,
        ...(init.body !== undefined && !raw ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : raw ? (init.body as Uint8Array) : JSON.stringify(init.body),
    });
  }

  async function trainAndClose(attachment: Buffer): Promise<{ sessionId: string; sha: string }> {
    const started = (await (
      await call('/v1/persona/train/start', { method: 'POST', body: { name: 'tutor' } })
    ).json()) as {
      sessionId: string;
    };
    const id = started.sessionId;
    expect(
      (await call(`/v1/persona/train/sessions/${id}/messages`, { method: 'POST', body: { content: 'Hi' } }))
        .status,
    ).toBe(201);
    const upload = await call(`/v1/persona/train/sessions/${id}/attachments?name=scan.png`, {
      method: 'POST',
      body: new Uint8Array(attachment),
      headers: { 'content-type': 'image/png' },
    });
    expect(upload.status).toBe(201);
    const closed = await call('/v1/persona/train/close', { method: 'POST', body: { sessionId: id } });
    expect(closed.status).toBe(200);
    const body = (await closed.json()) as { session: { archive: { sha256: string; key: string } } };
    return { sessionId: id, sha: body.session.archive.sha256 };
  }

  async function readArchive(sessionId: string): Promise<{ status: number; tar?: Buffer; message?: string }> {
    const response = await call(`/v1/persona/train/sessions/${sessionId}/archive`);
    if (response.status !== 200)
      return { status: response.status, message: ((await response.json()) as { message: string }).message };
    return { status: 200, tar: Buffer.from(await response.arrayBuffer()) };
  }

  it('writes the archive to the bucket (encrypted) and reads it back intact', async () => {
    await boot(k1);
    const attachment = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const { sessionId, sha } = await trainAndClose(attachment);
    const read = await readArchive(sessionId);
    expect(read.status).toBe(200);
    expect(sha256(read.tar!)).toBe(sha);
    const entries = readTar(read.tar!);
    expect(entries.find((e) => e.name.startsWith('attachments/'))!.content).toEqual(attachment);

    // Stored in the bucket, and not in plaintext there.
    expect(
      s3.requests.some((r) =>
        r.startsWith(`PUT /personae-training/${tenant}/training/${sessionId}/archive.tar`),
      ),
    ).toBe(true);
    const raw = new S3ObjectStore({
      endpoint: s3.endpoint,
      bucket: 'personae-training',
      accessKey: s3.accessKey,
      secretKey: 'not-checked-by-the-test-server',
    });
    const stored = await raw.getBuffer(`${tenant}/training/${sessionId}/archive.tar`);
    expect(stored.includes(attachment.subarray(0, 4096))).toBe(false);
    expect(stored.length).toBeGreaterThan(read.tar!.length);
    archiveOfK1 = sessionId;
  });

  let archiveOfK1: string;
  let archiveOfK2: string;

  it('after rotation (k2 current, k1 kept) the old archive still reads and new ones use k2', async () => {
    await boot(`${k2},${k1}`);
    expect((await readArchive(archiveOfK1)).status).toBe(200);
    archiveOfK2 = (await trainAndClose(Buffer.from('PNG-ish bytes'))).sessionId;
    expect((await readArchive(archiveOfK2)).status).toBe(200);
  });

  it('with k1 retired, its archive can no longer be decrypted; k2 archives can', async () => {
    await boot(k2);
    expect((await readArchive(archiveOfK2)).status).toBe(200);
    const old = await readArchive(archiveOfK1);
    expect(old.status).toBe(500);
    expect(old.message).toMatch(/failed its integrity check: .*k1/);
  });
});
