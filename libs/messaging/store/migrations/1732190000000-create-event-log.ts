import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema-of';

/** The Postgres event log: one ordered sequence of offsets per topic partition. */
export class CreateEventLog1732190000000 implements MigrationInterface {
  name = 'CreateEventLog1732190000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    // The next offset of each partition; appends lock this row, so offsets become
    // visible in commit order and no reader can pass a lower offset still uncommitted.
    await runner.query(`
      CREATE TABLE "${s}".partition_heads (
        topic       text   NOT NULL,
        partition   int    NOT NULL,
        next_offset bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (topic, partition)
      )`);
    await runner.query(`
      CREATE TABLE "${s}".events (
        topic       text        NOT NULL,
        partition   int         NOT NULL,
        "offset"    bigint      NOT NULL,
        event_id    uuid        NOT NULL,
        key         text        NOT NULL,
        headers     jsonb       NOT NULL,
        value       text        NOT NULL,
        appended_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset")
      )`);
    // An outbox relay that crashed after appending re-sends its rows; they are recognised here.
    await runner.query(`CREATE UNIQUE INDEX events_topic_event_id ON "${s}".events (topic, event_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE "${s}".events`);
    await runner.query(`DROP TABLE "${s}".partition_heads`);
  }
}
