import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema-of';

/** Consumer-group state: committed offsets, live members, and processed event ids. */
export class CreateConsumerGroups1732190000001 implements MigrationInterface {
  name = 'CreateConsumerGroups1732190000001';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`
      CREATE TABLE "${s}".consumer_offsets (
        group_name  text        NOT NULL,
        topic       text        NOT NULL,
        partition   int         NOT NULL,
        next_offset bigint      NOT NULL DEFAULT 0,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_name, topic, partition)
      )`);
    // A member is alive while its lease connection (backend pid + start time) exists.
    await runner.query(`
      CREATE TABLE "${s}".consumer_members (
        group_name    text        NOT NULL,
        member_id     text        NOT NULL,
        backend_pid   int         NOT NULL,
        backend_start timestamptz NOT NULL,
        joined_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_name, member_id)
      )`);
    // Used by both transports: Kafka redelivers too. Text ids: a foreign producer's id need not be a UUID.
    await runner.query(`
      CREATE TABLE "${s}".processed_events (
        group_name   text        NOT NULL,
        event_id     text        NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_name, event_id)
      )`);
    // Retention deletes by age.
    await runner.query(
      `CREATE INDEX processed_events_processed_at ON "${s}".processed_events (processed_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE "${s}".processed_events`);
    await runner.query(`DROP TABLE "${s}".consumer_members`);
    await runner.query(`DROP TABLE "${s}".consumer_offsets`);
  }
}
