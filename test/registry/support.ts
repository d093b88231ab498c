import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiKeyService, signJwt, type Role } from '@personae/auth';
import { deserializeEvent, type EventEnvelope } from '@personae/contracts';
import { HttpClient, RegistryClient, SignerClient } from '@personae/sdk';
import { startService, type RunningService } from '@personae/service-kit';
import { SERVICES } from '../../apps/platform/service-catalog';

export const JWT_SECRET = `registry-e2e-${randomBytes(24).toString('hex')}`;

/** A tenant no other test (or parallel test file) uses. */
export const uniqueTenant = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export interface Platform {
  running: RunningService;
  url: string;
  /** This platform's own database (see bootPlatform). */
  databaseUrl: string;
  tenant: string;
  /** An admin key of `tenant`. */
  admin: string;
  /** The environment it was started with (to start it again on the same database and data). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The whole platform in one process (what `npm start` runs) on the test run's Postgres, in a database
 * of its own: the signer's transparency-log key is platform-wide and sealed with this process'
 * generated development KEK, so platforms of parallel test files cannot share one signer schema.
 */
export async function bootPlatform(
  tenant: string,
  extra: { modules?: Type[]; env?: Record<string, string> } = {},
): Promise<Platform> {
  const databaseUrl = await createDatabase(`registry_e2e_${randomBytes(4).toString('hex')}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-registry-'));
  const write = process.stdout.write.bind(process.stdout);
  // The first platform of a run prints its admin banner; keep test output clean.
  process.stdout.write = () => true;
  let running: RunningService;
  const env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    BOOTSTRAP_TENANT: tenant,
    AUTH_JWT_SECRET: JWT_SECRET,
    ...extra.env,
  };
  try {
    running = await startService(
      {
        name: 'platform',
        description: 'registry e2e',
        defaultPort: 0,
        modules: [...SERVICES.flatMap((s) => s.modules), ...(extra.modules ?? [])],
      },
      env,
    );
  } finally {
    process.stdout.write = write;
  }
  // The bootstrap key is minted only when no admin exists in any tenant, and test files share one
  // database: mint this tenant's admin the way the keys CLI does.
  const { token } = await running.app
    .get(ApiKeyService)
    .mint({ tenantId: tenant, role: 'admin', label: 'registry e2e admin', createdBy: 'test' });
  const platform: Platform = {
    running,
    url: running.url,
    databaseUrl,
    tenant,
    admin: token,
    env,
    // platform.running, not running: a test may have restarted it (restartPlatform).
    stop: async () => {
      await platform.running.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await dropDatabase(databaseUrl);
    },
  };
  return platform;
}

/** Stops the platform's process and starts it again on the same database and data directory. */
export async function restartPlatform(platform: Platform): Promise<void> {
  await platform.running.stop();
  platform.running = await startService(
    {
      name: 'platform',
      description: 'registry e2e',
      defaultPort: 0,
      modules: SERVICES.flatMap((s) => s.modules),
    },
    platform.env,
  );
  platform.url = platform.running.url;
}

export interface Credential {
  token: string;
  /** The principal subject the platform records for it. */
  subject: string;
}

function serverUrl(database = 'postgres'): string {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  return url.toString();
}

async function withServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(name: string): Promise<string> {
  await withServer((client) => client.query(`CREATE DATABASE "${name}"`));
  return serverUrl(name);
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** An API key minted by the tenant's admin over HTTP. */
export async function mintKey(platform: Platform, role: Role, label = `${role} key`): Promise<Credential> {
  const response = await fetch(`${platform.url}/v1/auth/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role, label }),
  });
  if (response.status !== 201)
    throw new Error(`minting a ${role} key: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { token: string; key: { id: string } };
  return { token: body.token, subject: `apikey:${body.key.id}` };
}

/** A JWT for a named person in a role: how one person can hold two roles (trainer, then reviewer). */
export function personToken(platform: Platform, sub: string, role: Role): Credential {
  const token = signJwt(
    { sub, tenant: platform.tenant, role },
    { secret: JWT_SECRET, issuer: platform.running.config.auth.jwtIssuer },
  );
  return { token, subject: sub };
}

export const registryAs = (platform: Platform, credential: Credential | string): RegistryClient =>
  new RegistryClient(http(platform, credential));

export const signerAs = (platform: Platform, credential: Credential | string): SignerClient =>
  new SignerClient(http(platform, credential));

function http(platform: Platform, credential: Credential | string): HttpClient {
  const token = typeof credential === 'string' ? credential : credential.token;
  return new HttpClient({ baseUrl: platform.url, token, timeoutMs: 30_000 });
}

/** A raw HTTP call, for bad-input tests that need exact status codes and bodies. */
export async function call(
  platform: Platform,
  credential: Credential | undefined,
  method: string,
  path: string,
  body?: string | object,
  contentType = 'application/json',
): Promise<{
  status: number;
  body: { message?: string; errors?: { field: string; reason: string }[] } & Record<string, unknown>;
}> {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      ...(credential ? { authorization: `Bearer ${credential.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

/** The persona.lifecycle events of the platform's tenant that reached the bus, in log order (one key). */
export async function lifecycleEvents(platform: Platform): Promise<EventEnvelope<'persona.lifecycle'>[]> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM messaging.events
        WHERE topic = 'persona.lifecycle' AND headers->>'tenant-id' = $1
        ORDER BY partition, "offset"`,
      [platform.tenant],
    );
    return rows.map((row) => deserializeEvent(row.value) as EventEnvelope<'persona.lifecycle'>);
  } finally {
    await client.end();
  }
}

/** Polls until `check` holds, or fails saying what it last saw. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A small valid pack; `requiredApprovals` 2 unless told otherwise. */
export function testPack(
  name: string,
  patch: { system?: string; requiredApprovals?: number; tags?: string[] } = {},
) {
  return {
    apiVersion: 'personae.dev/v1',
    kind: 'PersonaPack',
    metadata: {
      name,
      displayName: 'Biology Researcher',
      description: 'Reads papers on cell biology and explains them.',
      category: 'research',
      tags: patch.tags ?? ['science', 'biology'],
    },
    spec: {
      prompt: { system: patch.system ?? 'You are a careful biology researcher. Cite your sources.' },
      capabilities: ['research', 'analysis'],
      policy: { requiredApprovals: patch.requiredApprovals ?? 2 },
    },
    provenance: {
      trainingSessions: ['01890a5d-ac96-774b-bcce-b302099a8057'],
      changes: [
        {
          path: '/spec/prompt/system',
          reason: 'The trainer asked for sources on every claim.',
          events: ['01890a5d-ac98-7cc0-8e2b-35f4e1ab0f21'],
          origin: 'human',
        },
      ],
    },
  };
}
