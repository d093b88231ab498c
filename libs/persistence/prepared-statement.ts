import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A hot read statement, sent straight to the data source's pg pool as a named prepared statement:
 * each connection parses and plans it once, then only binds and executes. TypeORM's per-call query
 * runner, logging and subscriber broadcast buy nothing for one self-contained statement.
 */
export class PreparedStatement<Row> {
  constructor(
    /** Unique per process: pg keys a connection's prepared statements by name. */
    private readonly name: string,
    private readonly text: string,
  ) {}

  async rows(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const result = await pool.query<Row & Record<string, unknown>>({
      name: this.name,
      text: this.text,
      values,
    });
    return result.rows;
  }
}
