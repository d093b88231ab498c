import { Client } from 'pg';
import { call, type Credential, type Platform } from '../registry/support';

/** GET as a credential; fails the test on anything but 200 unless told which status to expect. */
export async function auditGet<T = Record<string, unknown>>(
  platform: Platform,
  credential: Credential,
  path: string,
  status = 200,
): Promise<T> {
  const response = await call(platform, credential, 'GET', path);
  if (response.status !== status)
    throw new Error(
      `GET ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  return response.body as T;
}

/**
 * A privileged connection straight to the database, as an attacker with superuser rights (or a
 * careless operator) would have: it switches triggers off for its session to change ledger rows.
 */
export async function tamper(platform: Platform, statements: [string, unknown[]?][]): Promise<void> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    for (const [sql, params] of statements) await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

/** The same connection, triggers left on: what the service's own role (the owner, here) can do. */
export async function tryAsOwner(platform: Platform, sql: string): Promise<string> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
    return 'allowed';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}

export async function ledgerRow(
  platform: Platform,
  tenant: string,
  position: number,
): Promise<{ entry: string; hash: Buffer }> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ entry: string; hash: Buffer }>(
      `SELECT entry, hash FROM audit.ledger_entries WHERE tenant_id = $1 AND position = $2`,
      [tenant, position],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}
