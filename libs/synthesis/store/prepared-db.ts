import { PreparedQueries } from '@personae/persistence';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * A `query` for fixed statements outside a transaction (SELECT and WITH … SELECT, rows as the
 * result), run as named prepared statements on the data source's pool (`PreparedQueries`).
 */
export function preparedDb(dataSource: DataSource): Pick<EntityManager, 'query'> {
  const prepared = new PreparedQueries(dataSource, 'synthesis');
  return {
    async query<T = unknown>(text: string, parameters: unknown[] = []): Promise<T> {
      return (await prepared.rows(text, parameters)) as T;
    },
  };
}
