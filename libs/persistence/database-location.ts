import { join } from 'node:path';
import { EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseLocation {
  url: string;
  embedded: boolean;
  /** Stops embedded Postgres; a no-op for an external server. */
  stop(): Promise<void>;
}

/** Uses DATABASE_URL when set, otherwise starts embedded Postgres under DATA_DIR/postgres. */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort: number;
  onLog?: (line: string) => void;
  onNotice?: (message: string) => void;
}): Promise<DatabaseLocation> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: async () => undefined };
  const server = new EmbeddedPostgres({
    dataDir: join(options.dataDir, 'postgres'),
    port: options.embeddedPort,
    onLog: options.onLog,
    onNotice: options.onNotice,
  });
  const url = await server.start();
  return { url, embedded: true, stop: () => server.stop() };
}
