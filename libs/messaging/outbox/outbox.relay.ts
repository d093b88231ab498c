import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { advisoryLockKey } from '../advisory-lock-key';
import { sleep } from '../backoff';
import type { EventHeaders, OutgoingRecord } from '../event-transport.port';
import type { PgListener } from '../pg-listener';
import { WakeSignal } from '../wake-signal';
import { outboxChannel } from './outbox-channel';
import type { Topic } from '@personae/contracts';

export interface OutboxRelayOptions {
  schema: string;
  batchSize?: number;
  /** Fallback when a NOTIFY was missed. */
  pollIntervalMs?: number;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: Topic;
  key: string;
  headers: EventHeaders;
  value: string;
}

/**
 * Moves one schema's outbox to the bus in id order. Only one relay per schema works at a
 * time (transaction-scoped advisory lock), so relays in several processes cannot reorder.
 * Rows are deleted after the append is durable; a crash in between re-sends them, and
 * the log and the consumers recognise the event ids.
 */
export class OutboxRelay {
  private readonly wake = new WakeSignal();
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private unlisten?: () => void;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    private readonly dataSource: DataSource,
    private readonly append: (records: OutgoingRecord[]) => Promise<void>,
    private readonly listener: PgListener,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  get schema(): string {
    return this.options.schema;
  }

  async start(): Promise<void> {
    this.unlisten = await this.listener.listen(outboxChannel(this.schema), () => this.wake.notify());
    this.loop = this.run();
  }

  /** Stops waking up, then relays what is left (up to `drainTimeoutMs`): graceful shutdown drains the outbox. */
  async stop(drainTimeoutMs = 10_000): Promise<void> {
    this.unlisten?.();
    this.abort.abort();
    this.wake.notify();
    await this.loop;
    const deadline = Date.now() + drainTimeoutMs;
    while (Date.now() < deadline) {
      const moved = await this.relayOnce().catch((error: Error) => {
        this.logger.error(`${this.schema}: could not drain the outbox: ${error.message}`);
        return 0;
      });
      // 0: empty (or failing); null: another process' relay holds the lock and will drain it.
      if (moved === 0 || moved === null) return;
    }
    this.logger.warn(
      `${this.schema}: outbox not drained within ${drainTimeoutMs} ms; the next start relays the rest`,
    );
  }

  /** Relays one batch. Returns how many rows moved, or null when another relay holds the schema. */
  async relayOnce(): Promise<number | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [lock] = (await runner.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [
        advisoryLockKey(`personae:outbox:${this.schema}`),
      ])) as { locked: boolean }[];
      if (!lock?.locked) {
        await runner.rollbackTransaction();
        return null;
      }
      const rows = (await runner.query(
        `SELECT id, event_id, topic, key, headers, value FROM "${this.schema}".outbox ORDER BY id LIMIT $1`,
        [this.batchSize],
      )) as OutboxRow[];
      if (rows.length > 0) {
        await this.append(
          rows.map((row) => ({
            topic: row.topic,
            key: row.key,
            eventId: row.event_id,
            headers: row.headers,
            value: row.value,
          })),
        );
        await runner.query(`DELETE FROM "${this.schema}".outbox WHERE id = ANY($1::bigint[])`, [
          rows.map((row) => row.id),
        ]);
      }
      await runner.commitTransaction();
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Rows still waiting in the outbox. */
  async pending(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${this.schema}".outbox`,
    );
    return row?.n ?? 0;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      this.wake.clear();
      try {
        const moved = await this.relayOnce();
        if (moved === this.batchSize) continue;
      } catch (error) {
        this.logger.warn(`${this.schema}: relay failed: ${(error as Error).message}; retrying`);
        await sleep(1000, signal);
        continue;
      }
      await this.wake.wait(this.pollIntervalMs, signal);
    }
  }
}
