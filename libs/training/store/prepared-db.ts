import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@personae/persistence';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Db } from './session.store';
import { TRAINING_SCHEMA } from './training-schema';

/**
 * The Db of the hot path's fixed statements: straight to the training data source's pg pool, each one
 * a named prepared statement, so a connection parses and plans it once instead of on every call
 * (planning cost more than running the recording statement) and TypeORM's per-call query runner is
 * skipped. Postgres re-plans when a table's statistics change (autovacuum's ANALYZE), so a plan made
 * while a table was small does not outlive its growth; every statement here reads by a key. For
 * SELECT (and WITH … SELECT) statements of fixed text: the result is the rows.
 */
@Injectable()
export class PreparedDb implements Db {
  private readonly names = new Map<string, string>();

  constructor(@InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource) {}

  async query<T = unknown>(text: string, parameters: unknown[] = []): Promise<T> {
    let name = this.names.get(text);
    if (!name) {
      name = `training_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      this.names.set(text, name);
    }
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    return (await pool.query({ name, text, values: parameters })).rows as T;
  }
}
