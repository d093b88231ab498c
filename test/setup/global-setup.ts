import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { EmbeddedPostgres } from '../../libs/persistence/embedded-postgres';

declare global {
  var __PERSONAE_TEST_PG__: EmbeddedPostgres | undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * One real Postgres for the whole run: TEST_DATABASE_URL when given, otherwise embedded
 * Postgres in a fresh temporary directory. Tests isolate themselves by tenant and schema.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-test-pg-'));
  const server = new EmbeddedPostgres({ dataDir, port: await freePort() });
  process.env.DATABASE_URL = await server.start();
  process.env.PERSONAE_TEST_DATA_DIR = dataDir;
  globalThis.__PERSONAE_TEST_PG__ = server;
}
