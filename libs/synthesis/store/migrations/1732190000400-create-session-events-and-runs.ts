import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pipeline's copy of every training event (so a closed session's whole timeline is at hand without
 * calling the training service), one run per session (idempotent, resumable) and the knowledge
 * snapshots it built.
 */
export class CreateSessionEventsAndRuns1732190000400 implements MigrationInterface {
  name = 'CreateSessionEventsAndRuns1732190000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE synthesis.session_events (
        event_id    uuid        PRIMARY KEY,
        tenant_id   text        NOT NULL,
        session_id  uuid        NOT NULL,
        kind        text        NOT NULL,   -- started, closed, turn, tool, annotation, attachment, decision
        sequence    int         NOT NULL DEFAULT 0,
        occurred_at timestamptz NOT NULL,
        body        jsonb       NOT NULL,   -- the domain SessionEvent
        received_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    await runner.query(
      `CREATE INDEX session_events_by_session ON synthesis.session_events (session_id, sequence)`,
    );
    await runner.query(`
      CREATE TABLE synthesis.runs (
        session_id      uuid        PRIMARY KEY,
        tenant_id       text        NOT NULL,
        trainer_id      text        NOT NULL,
        closed_event_id uuid        NOT NULL,
        closed_sequence int         NOT NULL DEFAULT 0,
        event_count     int         NOT NULL DEFAULT 0,
        received        int         NOT NULL DEFAULT 0,  -- events of the session stored (closed excluded), kept by each insert
        correlation_id  text        NOT NULL DEFAULT '',
        -- waiting: closed, events still arriving; ready: complete; running: leased by a worker;
        -- done: draft saved and announced; failed: gave up (reason in error)
        state           text        NOT NULL CHECK (state IN ('waiting', 'ready', 'running', 'done', 'failed')),
        step            text        NOT NULL DEFAULT 'base',  -- next step to run (RUN_STEPS): resumable after a crash
        lease_until     timestamptz,
        attempts        int         NOT NULL DEFAULT 0,
        base            jsonb,      -- { ref, pack } of the base version, or {} for a new persona
        snapshot        jsonb,      -- the knowledge step's result
        result          jsonb,      -- the deterministic synthesis (pack, changes, summary, contradictions, findings)
        rewrite         jsonb,      -- the optional model rewrite of the prompt, when one ran
        draft_id        uuid,
        pack_digest     text,
        error           text,
        closed_at       timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )
    `);
    await runner.query(`CREATE INDEX runs_pending ON synthesis.runs (state) WHERE state <> 'done'`);
    await runner.query(`
      CREATE TABLE synthesis.knowledge_snapshots (
        snapshot_id     text        PRIMARY KEY,
        tenant_id       text        NOT NULL,
        session_id      uuid        NOT NULL,
        embedder        text        NOT NULL,
        manifest_digest text        NOT NULL CHECK (manifest_digest ~ '^sha256:[0-9a-f]{64}$'),
        chunks          int         NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )
    `);
    await runner.query(`
      CREATE TABLE synthesis.knowledge_chunks (
        snapshot_id  text    NOT NULL,
        ordinal      int     NOT NULL,
        chunk_id     text    NOT NULL,
        content_hash text    NOT NULL,
        source       text    NOT NULL,
        text         text    NOT NULL,
        vector       real[]  NOT NULL,
        PRIMARY KEY (snapshot_id, ordinal)
      )
    `);
    // A snapshot is immutable once its manifest is recorded: no update or delete of its chunks.
    await runner.query(`
      CREATE FUNCTION synthesis.refuse_snapshot_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM synthesis.knowledge_snapshots WHERE snapshot_id = OLD.snapshot_id) THEN
          RAISE EXCEPTION 'knowledge snapshot % is immutable', OLD.snapshot_id;
        END IF;
        RETURN OLD;
      END $$
    `);
    await runner.query(`
      CREATE TRIGGER knowledge_chunks_immutable BEFORE UPDATE OR DELETE ON synthesis.knowledge_chunks
      FOR EACH ROW EXECUTE FUNCTION synthesis.refuse_snapshot_change()
    `);
    await runner.query(`
      CREATE TRIGGER knowledge_snapshots_immutable BEFORE UPDATE OR DELETE ON synthesis.knowledge_snapshots
      FOR EACH ROW EXECUTE FUNCTION synthesis.refuse_snapshot_change()
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE synthesis.knowledge_chunks`);
    await runner.query(`DROP TABLE synthesis.knowledge_snapshots`);
    await runner.query(`DROP FUNCTION synthesis.refuse_snapshot_change()`);
    await runner.query(`DROP TABLE synthesis.runs`);
    await runner.query(`DROP TABLE synthesis.session_events`);
  }
}
