import { Client } from 'pg';
import { deserializeEvent, type EventEnvelope } from '@personae/contracts';
import { GovernanceClient, HttpClient } from '@personae/sdk';
import type { Credential, Platform } from '../registry/support';

export const governanceAs = (platform: Platform, credential: Credential | string): GovernanceClient =>
  new GovernanceClient(
    new HttpClient({
      baseUrl: platform.url,
      token: typeof credential === 'string' ? credential : credential.token,
      timeoutMs: 60_000,
    }),
  );

/** The governance.decisions events of the platform's tenant that reached the bus. */
export async function governanceEvents(platform: Platform): Promise<EventEnvelope<'governance.decisions'>[]> {
  return withDatabase(platform, async (client) => {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM messaging.events
        WHERE topic = 'governance.decisions' AND headers->>'tenant-id' = $1
        ORDER BY partition, "offset"`,
      [platform.tenant],
    );
    return rows.map((row) => deserializeEvent(row.value) as EventEnvelope<'governance.decisions'>);
  });
}

/** Raw text of every stored row that might hold a request's text: events, outbox, approvals. */
export async function storedText(platform: Platform): Promise<string> {
  return withDatabase(platform, async (client) => {
    const events = await client.query<{ value: string }>(`SELECT value FROM messaging.events`);
    const outbox = await client.query<{ row: string }>(
      `SELECT row_to_json(o)::text AS row FROM governance.outbox o`,
    );
    const approvals = await client.query<{ row: string }>(
      `SELECT row_to_json(a)::text AS row FROM governance.approvals a`,
    );
    return [
      ...events.rows.map((r) => r.value),
      ...outbox.rows.map((r) => r.row),
      ...approvals.rows.map((r) => r.row),
    ].join('\n');
  });
}

export async function countRows(platform: Platform, sql: string, params: unknown[] = []): Promise<number> {
  return withDatabase(platform, async (client) =>
    Number((await client.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0),
  );
}

async function withDatabase<T>(platform: Platform, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A persona described inline, as the runtime holds it. */
export function inlinePersona(overrides: Record<string, unknown> = {}) {
  return {
    name: 'support_agent',
    version: 3,
    capabilities: ['conversation'],
    tags: ['support'],
    tools: ['kb.search', 'payments.refund', 'email.send'],
    policy: {
      allowedActions: ['kb.*', 'payments.*', 'email.send'],
      blockedActions: [],
      escalation: { channels: ['mailto:payments-review@acme.example'] },
    },
    ...overrides,
  };
}
