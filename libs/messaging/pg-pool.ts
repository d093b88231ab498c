import { Logger } from '@nestjs/common';
import { Pool } from 'pg';

const logger = new Logger('MessagingPool');

/**
 * A pg pool for messaging's own queries, all of which read by primary or unique key.
 * Sequential scans are disabled on it: the log tables grow from empty, and a plan cached
 * while a table was tiny (a seq scan) would otherwise make every append and fetch O(table)
 * until autovacuum's next ANALYZE. An idle client that the server drops emits 'error' on
 * the pool; unhandled, that would crash the process, so it is logged instead.
 * `asyncCommit` is for consumer bookkeeping only (see ProcessedEventStore).
 */
export function createPool(options: { url: string; max: number; name: string; asyncCommit?: boolean }): Pool {
  const settings = ['-c enable_seqscan=off', ...(options.asyncCommit ? ['-c synchronous_commit=off'] : [])];
  const pool = new Pool({
    connectionString: options.url,
    max: options.max,
    application_name: `personae:${options.name}`,
    options: settings.join(' '),
  });
  pool.on('error', (error) => logger.warn(`${options.name}: idle connection failed: ${error.message}`));
  return pool;
}
