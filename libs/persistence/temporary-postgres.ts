import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from './embedded-postgres';

export interface TemporaryPostgres {
  url: string;
  /** The cluster's data directory (e.g. to find its processes). */
  clusterDir: string;
  /** Stops Postgres and deletes its directory. */
  stop(): Promise<void>;
}

/** A throwaway embedded Postgres — fresh directory, free loopback port — for test runs and benches. */
export async function startTemporaryPostgres(prefix = 'personae-pg-'): Promise<TemporaryPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const server = new EmbeddedPostgres({ dataDir, port: await freeLoopbackPort() });
  try {
    const url = await server.start();
    return {
      url,
      clusterDir: join(dataDir, 'cluster'),
      stop: async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A port the OS just handed out on 127.0.0.1 (free now; a race with other processes is possible but rare). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
