import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../store/schema-of';

/** SQL of a service's outbox table; rows are written with the state change and relayed in id order. */
export function outboxTableSql(schema: string): string {
  return `
    CREATE TABLE "${schema}".outbox (
      id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id   uuid        NOT NULL UNIQUE,
      topic      text        NOT NULL,
      key        text        NOT NULL,
      headers    jsonb       NOT NULL,
      value      text        NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`;
}

/**
 * Add to a service's migrations: `migrations: [CreateOutbox1732190000000, ...]`.
 * It creates the table in whichever schema the service's data source owns.
 */
export class CreateOutbox1732190000000 implements MigrationInterface {
  name = 'CreateOutbox1732190000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(outboxTableSql(schemaOf(runner)));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${schemaOf(runner)}".outbox`);
  }
}
