import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshots and their chunks (text, content hash, place), sealed snapshots made immutable by triggers;
 * and the embedded vector index's tables (vectors as float32 bytes, one set per tenant and snapshot).
 */
export class CreateKnowledge1732190000500 implements MigrationInterface {
  name = 'CreateKnowledge1732190000500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE knowledge.snapshots (
        id              text        PRIMARY KEY COLLATE "C",
        tenant_id       text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        state           text        NOT NULL CHECK (state IN ('building', 'sealed')),
        embedder        text        NOT NULL,
        label           text        NOT NULL DEFAULT '',
        manifest_digest text        CHECK (manifest_digest ~ '^sha256:[0-9a-f]{64}$'),
        chunk_count     int         NOT NULL DEFAULT 0,
        source_count    int         NOT NULL DEFAULT 0,
        text_bytes      bigint      NOT NULL DEFAULT 0,
        created_by      text        NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        sealed_at       timestamptz,
        CHECK ((state = 'sealed') = (manifest_digest IS NOT NULL AND sealed_at IS NOT NULL))
      )
    `);
    await runner.query(
      `CREATE INDEX snapshots_tenant_idx ON knowledge.snapshots (tenant_id, created_at DESC)`,
    );
    await runner.query(`
      CREATE TABLE knowledge.chunks (
        snapshot_id  text    NOT NULL REFERENCES knowledge.snapshots (id) ON DELETE CASCADE,
        id           text    NOT NULL COLLATE "C",   -- sha256(snapshot, ordinal, content hash), 32 hex
        ordinal      int     NOT NULL,
        content_hash text    NOT NULL CHECK (content_hash ~ '^sha256:[0-9a-f]{64}$'),
        source       text    NOT NULL,
        tags         text[]  NOT NULL DEFAULT '{}',
        text         text    NOT NULL,
        PRIMARY KEY (snapshot_id, id),
        UNIQUE (snapshot_id, ordinal)
      )
    `);
    // Sealed means immutable: the database refuses, whatever code path tries.
    await runner.query(`
      CREATE FUNCTION knowledge.refuse_sealed_chunk_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM knowledge.snapshots
                    WHERE id = COALESCE(NEW.snapshot_id, OLD.snapshot_id) AND state = 'sealed') THEN
          RAISE EXCEPTION 'knowledge snapshot % is sealed', COALESCE(NEW.snapshot_id, OLD.snapshot_id)
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
      END $$
    `);
    await runner.query(`
      CREATE TRIGGER chunks_immutable BEFORE INSERT OR UPDATE OR DELETE ON knowledge.chunks
        FOR EACH ROW EXECUTE FUNCTION knowledge.refuse_sealed_chunk_change()
    `);
    await runner.query(`
      CREATE FUNCTION knowledge.refuse_sealed_snapshot_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.state = 'sealed' THEN
          RAISE EXCEPTION 'knowledge snapshot % is sealed', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
      END $$
    `);
    await runner.query(`
      CREATE TRIGGER snapshots_immutable BEFORE UPDATE OR DELETE ON knowledge.snapshots
        FOR EACH ROW EXECUTE FUNCTION knowledge.refuse_sealed_snapshot_change()
    `);
    await runner.query(`
      CREATE TABLE knowledge.vector_sets (
        tenant_id   text   NOT NULL,
        snapshot_id text   NOT NULL,
        dimension   int    NOT NULL CHECK (dimension BETWEEN 1 AND 65536),
        generation  bigint NOT NULL DEFAULT 1,   -- bumped by every write: in-process caches reload on change
        PRIMARY KEY (tenant_id, snapshot_id)
      )
    `);
    await runner.query(`
      CREATE TABLE knowledge.vectors (
        tenant_id   text   NOT NULL,
        snapshot_id text   NOT NULL,
        point_id    text   NOT NULL COLLATE "C",
        vector      bytea  NOT NULL,               -- float32 little-endian
        source      text   NOT NULL,
        tags        text[] NOT NULL DEFAULT '{}',
        ordinal     int    NOT NULL,
        PRIMARY KEY (tenant_id, snapshot_id, point_id),
        FOREIGN KEY (tenant_id, snapshot_id) REFERENCES knowledge.vector_sets ON DELETE CASCADE
      )
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE knowledge.vectors`);
    await runner.query(`DROP TABLE knowledge.vector_sets`);
    await runner.query(`DROP TABLE knowledge.chunks`);
    await runner.query(`DROP TABLE knowledge.snapshots`);
    await runner.query(`DROP FUNCTION knowledge.refuse_sealed_chunk_change()`);
    await runner.query(`DROP FUNCTION knowledge.refuse_sealed_snapshot_change()`);
  }
}
