import { dirname } from 'node:path';
import { startTemporaryPostgres, type TemporaryPostgres } from '../../libs/persistence/temporary-postgres';

declare global {
  var __PERSONAE_TEST_PG__: TemporaryPostgres | undefined;
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
  const server = await startTemporaryPostgres('personae-test-pg-');
  process.env.DATABASE_URL = server.url;
  // Tests that must meet a Postgres already running (the keys CLI's refusal) find its directory here.
  process.env.PERSONAE_TEST_DATA_DIR = dirname(server.clusterDir);
  globalThis.__PERSONAE_TEST_PG__ = server;
}
