import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { advisoryLockKey } from '../advisory-lock-key';

/**
 * The connection that holds this process' partition leases as session advisory locks.
 * When the process dies its socket closes and Postgres releases every lock at once, so
 * another member can take the partitions over without waiting for a timeout.
 */
export class LeaseConnection {
  private client?: Client;
  private connecting?: Promise<void>;
  /** Queries on one pg Client must not overlap (pg 9 will refuse it); they queue here. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Bumps whenever the connection is lost: every lease taken before is gone. */
  generation = 0;
  private readonly logger = new Logger('PartitionLeases');

  constructor(private readonly url: string) {}

  /** Connects when needed (after a loss, with every earlier lease gone). */
  async ensure(): Promise<void> {
    if (this.client) return;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async tryLock(key: string): Promise<boolean> {
    const { rows } = await this.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
      advisoryLockKey(key),
    ]);
    return rows[0]?.ok === true;
  }

  async unlock(key: string): Promise<void> {
    await this.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryLockKey(key)]);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Runs on the lease session itself, e.g. to record its pid and start time as a member. */
  async query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[] }> {
    const run = this.tail.then(() => {
      const client = this.client;
      if (!client) throw new Error('lease connection is not open');
      return client.query<R>(text, values);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'personae:leases' });
    const lost = (error?: Error): void => {
      if (this.client !== client) return;
      this.logger.warn(
        `lease connection lost${error ? `: ${error.message}` : ''}; its partitions are released`,
      );
      this.client = undefined;
      this.generation++;
      client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    this.client = client;
  }
}
