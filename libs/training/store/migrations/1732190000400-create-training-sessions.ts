import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions, their append-only event timeline and attachments. Events and attachments can never be
 * updated or deleted (triggers), so the timeline is the record: a correction is a new event.
 */
export class CreateTrainingSessions1732190000400 implements MigrationInterface {
  name = 'CreateTrainingSessions1732190000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE training.sessions (
        id               uuid        PRIMARY KEY,
        tenant_id        text        NOT NULL,
        trainer_id       text        NOT NULL,           -- who started it
        persona_name     text        NOT NULL,
        base_ref         text,                           -- name.vN, NULL for an empty persona
        base_digest      text        CHECK (base_digest ~ '^sha256:[0-9a-f]{64}$'),
        base_prompt      text        NOT NULL,           -- system prompt the draft prompt grows from
        model            jsonb       NOT NULL,           -- {model, temperature?, maxTokens?, fallbacks}
        examples         jsonb       NOT NULL DEFAULT '[]',
        guidance         jsonb       NOT NULL DEFAULT '[]',   -- newest explanations/corrections
        state            text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closing', 'closed')),
        last_sequence    int         NOT NULL DEFAULT 0, -- the timeline's last event; taken under the row lock
        attachment_count int         NOT NULL DEFAULT 0,
        started_at       timestamptz NOT NULL,
        closing_at       timestamptz,
        closed_at        timestamptz,
        closed_by        text,
        close_reason     text,
        archive_key      text,
        archive_sha256   text        CHECK (archive_sha256 ~ '^[0-9a-f]{64}$'),
        archive_size     bigint,
        CHECK ((state = 'closed') = (archive_sha256 IS NOT NULL))
      )
    `);
    await runner.query(
      `CREATE INDEX sessions_by_persona ON training.sessions (tenant_id, persona_name, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX sessions_by_trainer ON training.sessions (tenant_id, trainer_id, id DESC)`,
    );
    await runner.query(`CREATE INDEX sessions_by_state ON training.sessions (tenant_id, state, id DESC)`);

    await runner.query(`
      CREATE TABLE training.events (
        id              uuid        PRIMARY KEY,         -- the event id on the bus
        session_id      uuid        NOT NULL REFERENCES training.sessions (id),
        tenant_id       text        NOT NULL,
        sequence        int         NOT NULL CHECK (sequence > 0),
        type            text        NOT NULL,            -- <topic>.<case>, e.g. training.conversation.turn
        role            text,                            -- turns: trainer or agent
        target_event_id uuid,                            -- annotations and policy decisions
        occurred_at     timestamptz NOT NULL,
        envelope        jsonb       NOT NULL,            -- the published envelope (proto3 JSON)
        UNIQUE (session_id, sequence)
      )
    `);
    await runner.query(
      `CREATE INDEX events_turns ON training.events (session_id, sequence DESC) WHERE role IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX events_targets ON training.events (target_event_id) WHERE target_event_id IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE training.attachments (
        id          uuid        PRIMARY KEY,
        session_id  uuid        NOT NULL REFERENCES training.sessions (id),
        tenant_id   text        NOT NULL,
        event_id    uuid        NOT NULL REFERENCES training.events (id),
        file_name   text        NOT NULL,
        media_type  text        NOT NULL,
        size_bytes  bigint      NOT NULL,
        sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        object_key  text        NOT NULL,
        uploaded_by text        NOT NULL,
        uploaded_at timestamptz NOT NULL
      )
    `);
    await runner.query(`CREATE INDEX attachments_by_session ON training.attachments (session_id, id)`);

    // Append-only: the record cannot be edited, not even by a bug or a hand-typed UPDATE.
    await runner.query(`
      CREATE FUNCTION training.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'training.% is append-only: % refused', TG_TABLE_NAME, TG_OP;
      END $$
    `);
    for (const table of ['events', 'attachments']) {
      await runner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON training.${table}
          FOR EACH ROW EXECUTE FUNCTION training.append_only()
      `);
      await runner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON training.${table}
          FOR EACH STATEMENT EXECUTE FUNCTION training.append_only()
      `);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE training.attachments`);
    await runner.query(`DROP TABLE training.events`);
    await runner.query(`DROP TABLE training.sessions`);
    await runner.query(`DROP FUNCTION training.append_only()`);
  }
}
