import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * A `query` for fixed statements outside a transaction: straight to the data source's pg pool as named
 * prepared statements, so a connection parses and plans each once instead of on every call (planning
 * the batch insert cost more than running it). Postgres re-plans when a table's statistics change.
 * SELECT (and WITH … SELECT) statements only: the result is the rows.
 */
export function preparedDb(dataSource: DataSource): Pick<EntityManager, 'query'> {
  const names = new Map<string, string>();
  return {
    async query<T = unknown>(text: string, parameters: unknown[] = []): Promise<T> {
      let name = names.get(text);
      if (!name) {
        name = `synthesis_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
        names.set(text, name);
      }
      const pool = (dataSource.driver as unknown as { master: Pool }).master;
      return (await pool.query({ name, text, values: parameters })).rows as T;
    },
  };
}
