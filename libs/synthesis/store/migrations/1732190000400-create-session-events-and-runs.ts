import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pipeline's copy of every training event (so a closed session's whole timeline is at hand without
 * calling the training service), one run per session (idempotent, resumable) and the knowledge
 * snapshot each session pinned.
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
    // The knowledge snapshot each session pinned (built by the knowledge service): a rerun finds it.
    await runner.query(`
      CREATE TABLE synthesis.session_snapshots (
        session_id uuid        PRIMARY KEY,
        tenant_id  text        NOT NULL,
        snapshot   jsonb       NOT NULL,   -- { ref: spec.knowledge entry, sources: event ids }
        created_at timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE synthesis.session_snapshots`);
    await runner.query(`DROP TABLE synthesis.runs`);
    await runner.query(`DROP TABLE synthesis.session_events`);
  }
}
