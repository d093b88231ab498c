import { randomBytes } from 'node:crypto';
import { signJwt, type Role } from '@personae/auth';
import { deserializeEvent, type EventEnvelope } from '@personae/contracts';
import { Client } from 'pg';
import { startService, type RunningService } from '@personae/service-kit';
import { SERVICES } from '../../apps/platform/service-catalog';
import {
  JWT_SECRET,
  mintKey,
  personToken,
  registryAs,
  signerAs,
  testPack,
  type Credential,
  type Platform,
} from '../registry/support';

export {
  bootPlatform,
  eventually,
  mintKey,
  personToken,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';

/** A person of another tenant (same platform): for isolation checks. */
export function foreignToken(platform: Platform, tenant: string, sub: string, role: Role): Credential {
  const token = signJwt(
    { sub, tenant, role },
    { secret: JWT_SECRET, issuer: platform.running.config.auth.jwtIssuer },
  );
  return { token, subject: sub };
}

/** Seals `name.v1` the way the registry requires (author, one reviewer, a trusted signer). */
export async function sealBase(platform: Platform, name: string, author: Credential): Promise<string> {
  const reviewer = await mintKey(platform, 'reviewer', 'training e2e reviewer');
  const signer = await mintKey(platform, 'signer', 'training e2e signer');
  await signerAs(platform, platform.admin).registerIdentity({
    subject: signer.subject,
    displayName: 'Training e2e signer',
    roles: ['pack-signer'],
  });
  const pack = testPack(name, {
    requiredApprovals: 1,
    system: 'You are a careful biology researcher. Cite sources.',
  });
  const withExamples = {
    ...pack,
    spec: {
      ...pack.spec,
      prompt: {
        ...pack.spec.prompt,
        examples: [
          {
            input: 'What is a ribosome?',
            output: 'A ribosome is the molecular machine that builds proteins.',
          },
        ],
      },
    },
  };
  const draft = await registryAs(platform, author).createDraft(withExamples);
  await registryAs(platform, author).submit(draft.id);
  await registryAs(platform, reviewer).approve(draft.id, 'fine');
  const version = await registryAs(platform, signer).seal(draft.id);
  return `${name}.v${version.version}`;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T & { message?: string; errors?: { field: string; reason: string }[] };
  headers: Headers;
}

/** One HTTP call with a bearer token; JSON in and out unless told otherwise. */
export async function api<T = Record<string, unknown>>(
  platform: Platform,
  credential: Credential | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const raw = body instanceof Uint8Array || typeof body === 'string';
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      ...(credential ? { authorization: `Bearer ${credential.token}` } : {}),
      ...(body !== undefined && !raw ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed as Answer<T>['body'], headers: response.headers };
}

/** The events the bus holds for one key (a session), per topic in log order. */
export async function busEvents(platform: Platform, key: string): Promise<EventEnvelope[]> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM messaging.events WHERE key = $1 AND topic LIKE 'training.%'
        ORDER BY topic, partition, "offset"`,
      [key],
    );
    return rows.map((row) => deserializeEvent(row.value));
  } finally {
    await client.end();
  }
}

/** Rows of the session's timeline table (to prove refusals wrote nothing). */
export async function timelineCount(
  platform: Pick<Platform, 'databaseUrl'>,
  sessionId: string,
): Promise<number> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM training.events WHERE session_id = $1`,
      [sessionId],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** Parses a server-sent event stream into its events. */
export function parseSse(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

export { personToken as trainerToken };

/** A database of its own on the test run's Postgres (outlives platform restarts), and its removal. */
export async function createDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = new URL(process.env.DATABASE_URL ?? '');
  server.pathname = '/postgres';
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: server.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** The platform in this process with extra environment (S3, key-encryption keys), JWTs for people. */
export async function startPlatform(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string>,
): Promise<RunningService> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true; // the first start of a database prints an admin banner
  try {
    return await startService(
      {
        name: 'platform',
        description: 'training e2e',
        defaultPort: 0,
        modules: SERVICES.flatMap((s) => s.modules),
      },
      {
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'silent',
        BOOTSTRAP_TENANT: 'training-s3',
        AUTH_JWT_SECRET: JWT_SECRET,
        ...env,
      },
    );
  } finally {
    process.stdout.write = write;
  }
}

/** A person's JWT on a running service (any tenant). */
export function jwtFor(running: RunningService, tenant: string, sub: string, role: Role): Credential {
  return {
    token: signJwt({ sub, tenant, role }, { secret: JWT_SECRET, issuer: running.config.auth.jwtIssuer }),
    subject: sub,
  };
}
