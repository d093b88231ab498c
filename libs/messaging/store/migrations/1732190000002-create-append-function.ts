import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema-of';

/**
 * The append as one server-side call (one round trip instead of seven): lock the heads of
 * the partitions written, in a fixed order so concurrent appenders queue instead of
 * deadlocking; drop events the topic already holds; give the rest the next offsets;
 * NOTIFY once per partition. Each statement takes a fresh snapshot, so after waiting for
 * a head lock the events and offsets committed meanwhile are seen.
 */
export class CreateAppendFunction1732190000002 implements MigrationInterface {
  name = 'CreateAppendFunction1732190000002';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`
      CREATE FUNCTION "${s}".append_events(
        p_topics text[], p_partitions int[], p_event_ids uuid[], p_keys text[], p_headers jsonb[], p_values text[], p_channel text)
      RETURNS int LANGUAGE plpgsql AS $fn$
      DECLARE
        appended int;
        heads text[];
        wanted int;
        locked int;
      BEGIN
        SELECT count(DISTINCT (t, p)) INTO wanted FROM unnest(p_topics, p_partitions) AS x(t, p);
        FOR attempt IN 1..2 LOOP
          SELECT count(*) INTO locked FROM (
            SELECT 1 FROM "${s}".partition_heads h
            WHERE (h.topic, h.partition) IN (SELECT t, p FROM unnest(p_topics, p_partitions) AS x(t, p))
            ORDER BY h.topic, h.partition
            FOR UPDATE) AS l;
          EXIT WHEN locked = wanted;
          -- First append to a partition: create its head, then lock again.
          INSERT INTO "${s}".partition_heads (topic, partition)
          SELECT DISTINCT t, p FROM unnest(p_topics, p_partitions) AS x(t, p)
          ON CONFLICT DO NOTHING;
        END LOOP;

        WITH input AS (
          SELECT * FROM unnest(p_topics, p_partitions, p_event_ids, p_keys, p_headers, p_values) WITH ORDINALITY
            AS r(topic, partition, event_id, key, headers, value, ord)
        ), fresh AS (
          SELECT i.*, row_number() OVER (PARTITION BY i.topic, i.partition ORDER BY i.ord) - 1 AS n
          FROM input i
          WHERE NOT EXISTS (SELECT 1 FROM "${s}".events e WHERE e.topic = i.topic AND e.event_id = i.event_id)
        ), moved AS (
          UPDATE "${s}".partition_heads h SET next_offset = h.next_offset + c.count
          FROM (SELECT topic, partition, count(*) AS count FROM fresh GROUP BY topic, partition) c
          WHERE h.topic = c.topic AND h.partition = c.partition
          RETURNING h.topic, h.partition, h.next_offset - c.count AS first
        ), written AS (
          INSERT INTO "${s}".events (topic, partition, "offset", event_id, key, headers, value)
          SELECT f.topic, f.partition, m.first + f.n, f.event_id, f.key, f.headers, f.value
          FROM fresh f JOIN moved m USING (topic, partition)
          RETURNING topic, partition
        )
        SELECT count(*), array_agg(DISTINCT topic || '/' || partition) INTO appended, heads FROM written;

        -- Delivered at commit: members of every group wake and fetch.
        PERFORM pg_notify(p_channel, head) FROM unnest(heads) AS head;
        RETURN appended;
      END
      $fn$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION "${schemaOf(runner)}".append_events`);
  }
}
