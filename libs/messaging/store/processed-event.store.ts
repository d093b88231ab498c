import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { Coalescer } from '../coalescer';
import { createPool } from '../pg-pool';
import { DEFAULT_RETENTION_MS, pruneProcessedIds, schedulePruning } from './retention';
import { assertSchemaName, migrateMessagingSchema, MESSAGING_SCHEMA } from './messaging-schema';

/**
 * Which events each consumer group has processed. A redelivered event (after a crash,
 * a rebalance, or a duplicate publish) is recognised here and skipped.
 */
interface Lookup {
  group: string;
  eventIds: readonly string[];
}

export class ProcessedEventStore {
  // Every partition worker of every group asks per batch; concurrent asks share one query.
  private readonly lookups: Coalescer<Lookup, Set<string>>;
  private readonly marks: Coalescer<Lookup, undefined>;

  private readonly stopPruning: () => void;

  private constructor(
    private readonly pool: Pool,
    readonly schema: string,
    private readonly retentionMs: number,
  ) {
    this.stopPruning = schedulePruning(pool, `${schema}.processed_events`, () => this.prune());
    const weight = (lookup: Lookup): number => lookup.eventIds.length;
    this.lookups = new Coalescer((lookups) => this.lookupMany(lookups), 5000, weight);
    this.marks = new Coalescer((marks) => this.markMany(marks), 5000, weight);
  }

  static async open(
    url: string,
    schema: string = MESSAGING_SCHEMA,
    options: { poolSize?: number; retentionMs?: number } = {},
  ): Promise<ProcessedEventStore> {
    await migrateMessagingSchema(url, schema);
    // Consumer bookkeeping commits asynchronously: a database crash can only cause a redelivery,
    // which these marks and at-least-once delivery already allow; effects marked in the
    // handler's own transaction (applyOnce) stay durable.
    const pool = createPool({ url, max: options.poolSize ?? 4, name: 'consumers', asyncCommit: true });
    return new ProcessedEventStore(
      pool,
      assertSchemaName(schema),
      options.retentionMs ?? DEFAULT_RETENTION_MS,
    );
  }

  /** The subset of `eventIds` the group has already processed. */
  async filterProcessed(group: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    return this.lookups.submit({ group, eventIds });
  }

  async markProcessed(group: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.marks.submit({ group, eventIds });
  }

  private async lookupMany(lookups: Lookup[]): Promise<Set<string>[]> {
    const { rows } = await this.pool.query<{ group_name: string; event_id: string }>(
      `SELECT p.group_name, p.event_id FROM "${this.schema}".processed_events p
       JOIN unnest($1::text[], $2::text[]) AS q(group_name, event_id) USING (group_name, event_id)`,
      [lookups.flatMap((l) => l.eventIds.map(() => l.group)), lookups.flatMap((l) => l.eventIds)],
    );
    const found = new Set(rows.map((row) => `${row.group_name}\u0000${row.event_id}`));
    return lookups.map((l) => new Set(l.eventIds.filter((id) => found.has(`${l.group}\u0000${id}`))));
  }

  private async markMany(marks: Lookup[]): Promise<undefined[]> {
    await this.pool.query(
      `INSERT INTO "${this.schema}".processed_events (group_name, event_id)
       SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      [marks.flatMap((m) => m.eventIds.map(() => m.group)), marks.flatMap((m) => m.eventIds)],
    );
    return marks.map(() => undefined);
  }

  /**
   * Marks the event inside the caller's transaction; false when it was already marked.
   * A concurrent duplicate blocks on the primary key until the first commits, then sees false.
   */
  async markInTransaction(manager: EntityManager, group: string, eventId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO "${this.schema}".processed_events (group_name, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [group, eventId],
    );
    return rows.length === 1;
  }

  /**
   * Marks many events inside the caller's transaction; returns those not marked before.
   * Ids are inserted in sorted order, so two overlapping batches lock rows in one order and
   * cannot deadlock; a concurrent duplicate waits for the first transaction, then is left out.
   */
  async markManyInTransaction(
    manager: EntityManager,
    group: string,
    eventIds: readonly string[],
  ): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: { event_id: string }[] = await manager.query(
      `INSERT INTO "${this.schema}".processed_events (group_name, event_id)
       SELECT $1, id FROM unnest($2::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [group, [...new Set(eventIds)].sort()],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Forgets marks older than the retention; runs hourly on its own. */
  async prune(): Promise<number> {
    return pruneProcessedIds(this.pool, this.schema, new Date(Date.now() - this.retentionMs));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.stopPruning();
    await this.pool.end();
  }
}
