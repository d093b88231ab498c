import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { advisoryLockKey } from '../advisory-lock-key';

/** How long the log keeps events and groups remember processed ids, unless told otherwise. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;
const PRUNE_INTERVAL_MS = 3600 * 1000;

/**
 * Runs `prune` every hour in one process at a time (transaction-scoped advisory lock):
 * time-based retention, as on Kafka — a group stopped for longer than the retention
 * misses what was pruned.
 */
export function schedulePruning(
  pool: Pool,
  name: string,
  prune: (pool: Pool) => Promise<number>,
): () => void {
  const logger = new Logger('Retention');
  const run = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
        [advisoryLockKey(`personae:prune:${name}`)],
      );
      if (rows[0]?.locked) {
        const removed = await prune(pool);
        if (removed > 0) logger.log(`${name}: pruned ${removed} rows past retention`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      logger.warn(`${name}: pruning failed: ${(error as Error).message}`);
    } finally {
      client.release();
    }
  };
  const timer = setInterval(() => void run(), PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Deletes, per partition, the events appended before `cutoff` (a prefix of its offsets). */
export async function pruneEventLog(pool: Pool, schema: string, cutoff: Date): Promise<number> {
  const result = await pool.query(
    `WITH bounds AS (
       SELECT h.topic, h.partition, coalesce(k."offset", h.next_offset) AS keep_from
       FROM "${schema}".partition_heads h
       LEFT JOIN LATERAL (
         SELECT "offset" FROM "${schema}".events e
         WHERE e.topic = h.topic AND e.partition = h.partition AND e.appended_at >= $1
         ORDER BY "offset" LIMIT 1) k ON true)
     DELETE FROM "${schema}".events e USING bounds b
     WHERE e.topic = b.topic AND e.partition = b.partition AND e."offset" < b.keep_from`,
    [cutoff],
  );
  return result.rowCount ?? 0;
}

export async function pruneProcessedIds(pool: Pool, schema: string, cutoff: Date): Promise<number> {
  const result = await pool.query(`DELETE FROM "${schema}".processed_events WHERE processed_at < $1`, [
    cutoff,
  ]);
  return result.rowCount ?? 0;
}
