import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startService, type RunningService } from '@personae/service-kit';
import { SERVICES } from '../../apps/platform/service-catalog';

/**
 * A database of this test file's own, on the run's Postgres server. The signer keeps state that no
 * tenant isolates: one transparency log, one log key wrapped under the KEK of whichever process
 * created it. Sharing them with other test files would make log sizes racy and, since every test
 * platform generates its own development KEK, leave the log key undecryptable for all but one.
 */
export async function createDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL is set by the jest global setup');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withClient(server, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The whole platform in one process, as `npm start` runs it. Returns the admin key printed on
 * first start (read from stdout like an operator would), or undefined on later starts.
 */
export async function bootPlatform(
  env: Record<string, string | undefined>,
): Promise<{ platform: RunningService; adminKey: string | undefined }> {
  const output: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  };
  try {
    const platform = await startService(
      {
        name: 'platform',
        description: 'signer e2e',
        defaultPort: 0,
        modules: SERVICES.flatMap((s) => s.modules),
      },
      { PORT: '0', LOG_LEVEL: 'silent', ...env },
    );
    return { platform, adminKey: /pk_[A-Za-z0-9_-]+/.exec(output.join(''))?.[0] };
  } finally {
    process.stdout.write = write;
  }
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

/** Raw HTTP, so tests see exact statuses and bodies; every answer's text is kept for leak checks. */
export class Api {
  readonly seen: string[] = [];

  constructor(public baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    this.seen.push(text);
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, text };
  }

  get<T = Record<string, unknown>>(path: string, token?: string): Promise<Reply<T>> {
    return this.call<T>('GET', path, { token });
  }

  post<T = Record<string, unknown>>(
    path: string,
    token: string | undefined,
    body: unknown,
  ): Promise<Reply<T>> {
    return this.call<T>('POST', path, { token, body });
  }
}
