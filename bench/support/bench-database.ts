import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startTemporaryPostgres } from '@personae/persistence';
import { clusterCpuMs } from './process-cpu';

export interface BenchDatabase {
  url: string;
  stop: () => Promise<void>;
  /** Embedded only: Postgres' CPU ms so far. */
  cpuMs?: () => number;
}

/**
 * A database of the bench's own: on DATABASE_URL's server when set (created, dropped at the end),
 * otherwise a throwaway embedded Postgres in a temp dir.
 */
export async function openBenchDatabase(bench: string): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) {
    const server = process.env.DATABASE_URL;
    const name = `${bench}_bench_${randomBytes(4).toString('hex')}`;
    await withClient(server, (c) => c.query(`CREATE DATABASE "${name}"`));
    const url = new URL(server);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      stop: () => withClient(server, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
    };
  }
  const server = await startTemporaryPostgres(`personae-bench-${bench}-pg-`);
  return { url: server.url, stop: () => server.stop(), cpuMs: () => clusterCpuMs(server.clusterDir) };
}

export async function withClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
