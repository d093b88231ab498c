import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, loadConfig } from '@personae/config';
import { generateKekConfigItem } from '@personae/crypto';
import { ReadinessModule, ReadinessRegistry } from '@personae/service-kit/readiness';
import {
  ENCRYPTED_OBJECT_STORE,
  EncryptedObjectStore,
  FilesystemObjectStore,
  OBJECT_STORE,
  S3ObjectStore,
  StorageModule,
  type ObjectStore,
} from '@personae/storage';
import { S3CompatibleServer } from './s3-compatible.server';

async function boot(env: NodeJS.ProcessEnv): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule.forRoot(loadConfig(env)), ReadinessModule, StorageModule.forRoot()] })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
}

describe('StorageModule', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'personae-storage-module-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('provides the filesystem store under DATA_DIR/objects, its encrypted view and the objects check', async () => {
    const app = await boot({ DATA_DIR: dataDir, KEY_ENCRYPTION_KEYS: generateKekConfigItem('k1') });
    try {
      const store = app.get<ObjectStore>(OBJECT_STORE);
      const encrypted = app.get<ObjectStore>(ENCRYPTED_OBJECT_STORE);
      expect(store).toBeInstanceOf(FilesystemObjectStore);
      expect((store as FilesystemObjectStore).root).toBe(join(dataDir, 'objects'));
      expect(encrypted).toBeInstanceOf(EncryptedObjectStore);
      await encrypted.put('wired/secret', Buffer.from('through the module'));
      expect((await encrypted.getBuffer('wired/secret')).toString()).toBe('through the module');
      const raw = await readFile((store as FilesystemObjectStore).pathOf('wired/secret'));
      expect(raw.includes(Buffer.from('through the module'))).toBe(false);
      const readiness = await app.get(ReadinessRegistry).evaluate();
      expect(readiness.checks.objects).toEqual({ ok: true });
      await rm(join(dataDir, 'objects'), { recursive: true });
      expect((await app.get(ReadinessRegistry).evaluate()).checks.objects?.ok).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('uses the development key ring under DATA_DIR when no KEKs are configured', async () => {
    const app = await boot({ DATA_DIR: dataDir });
    try {
      await app.get<ObjectStore>(ENCRYPTED_OBJECT_STORE).put('dev/x', randomBytes(10));
      expect((await readFile(join(dataDir, 'keys', 'key-encryption-keys'), 'utf8')).startsWith('dev1:')).toBe(
        true,
      );
    } finally {
      await app.close();
    }
  });

  it('chooses S3 when S3_ENDPOINT is set, creating the bucket at start', async () => {
    const server = await S3CompatibleServer.start();
    try {
      const app = await boot({
        DATA_DIR: dataDir,
        S3_ENDPOINT: server.endpoint,
        S3_BUCKET: 'module-bucket',
        S3_ACCESS_KEY: server.accessKey,
        S3_SECRET_KEY: 'secret',
      });
      try {
        expect(app.get(OBJECT_STORE)).toBeInstanceOf(S3ObjectStore);
        expect(server.requests).toContain('PUT /module-bucket');
        await app.get<ObjectStore>(ENCRYPTED_OBJECT_STORE).put('s3/wired', Buffer.from('x'));
        expect(server.keys('module-bucket')).toEqual(['s3/wired']);
        expect((await app.get(ReadinessRegistry).evaluate()).checks.objects).toEqual({ ok: true });
      } finally {
        await app.close();
      }
    } finally {
      await server.close();
    }
  });
});
