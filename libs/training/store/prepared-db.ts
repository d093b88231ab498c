import { Injectable } from '@nestjs/common';
import { InjectDataSource, PreparedQueries } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import type { Db } from './session.store';
import { TRAINING_SCHEMA } from './training-schema';

/**
 * The Db of the hot path's fixed statements (SELECT and WITH … SELECT, rows as the result), run as
 * named prepared statements on the training data source's pool (`PreparedQueries`).
 */
@Injectable()
export class PreparedDb implements Db {
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource(TRAINING_SCHEMA) dataSource: DataSource) {
    this.prepared = new PreparedQueries(dataSource, 'training');
  }

  async query<T = unknown>(text: string, parameters: unknown[] = []): Promise<T> {
    return (await this.prepared.rows(text, parameters)) as T;
  }
}
