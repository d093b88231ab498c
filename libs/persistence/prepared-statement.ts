import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Hot statements of fixed text, sent straight to a data source's pg pool as named prepared
 * statements: each connection parses and plans a statement once, then only binds and executes it
 * (planning cost more than running several of our hot statements), and TypeORM's per-call query
 * runner, logging and subscriber broadcast are skipped. Postgres re-plans when a table's statistics
 * change. Outside transactions only: each call takes any pooled connection.
 */
export class PreparedQueries {
  private readonly names = new Map<string, string>();

  constructor(
    /** A TypeORM data source (its pg pool is used) or a pg pool of one's own. */
    private readonly source: DataSource | Pool,
    /** Keeps the generated statement names of one service apart from another's. */
    private readonly prefix: string,
  ) {}

  async rows<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
    const pool =
      'driver' in this.source ? (this.source.driver as unknown as { master: Pool }).master : this.source;
    const result = await pool.query({ name: this.nameOf(text), text, values });
    return result.rows as Row[];
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) {
      name = `${this.prefix}_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
