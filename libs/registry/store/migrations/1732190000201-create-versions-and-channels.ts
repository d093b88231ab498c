import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sealed versions (immutable), channels and the history of every channel move. */
export class CreateVersionsAndChannels1732190000201 implements MigrationInterface {
  name = 'CreateVersionsAndChannels1732190000201';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE registry.versions (
        tenant_id         text        NOT NULL,
        persona_name      text        NOT NULL,
        version           int         NOT NULL CHECK (version BETWEEN 1 AND 999999),
        canonical         text        NOT NULL,   -- the exact RFC 8785 bytes that were signed
        digest            text        NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        bundle            jsonb       NOT NULL,   -- Sigstore bundle v0.3 from the signer
        key_id            text        NOT NULL,
        log_index         bigint      NOT NULL,
        approvals         jsonb       NOT NULL,   -- as signed: [{by, role, at}]
        governance_report jsonb       NOT NULL,   -- the report whose digest was signed
        draft_id          uuid        NOT NULL REFERENCES registry.drafts (id),
        sealed_by         text        NOT NULL,
        sealed_at         timestamptz NOT NULL DEFAULT now(),
        state             text        NOT NULL DEFAULT 'sealed' CHECK (state IN ('sealed', 'deprecated', 'revoked')),
        state_reason      text,
        state_changed_by  text,
        state_changed_at  timestamptz,
        PRIMARY KEY (tenant_id, persona_name, version),
        FOREIGN KEY (tenant_id, persona_name) REFERENCES registry.personas (tenant_id, name)
      )
    `);
    // A sealed version is immutable: only its state (sealed → deprecated → revoked) may change.
    await runner.query(`
      CREATE FUNCTION registry.versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.tenant_id, NEW.persona_name, NEW.version, NEW.canonical, NEW.digest, NEW.bundle, NEW.key_id,
            NEW.log_index, NEW.approvals, NEW.governance_report, NEW.draft_id, NEW.sealed_by, NEW.sealed_at)
           IS DISTINCT FROM
           (OLD.tenant_id, OLD.persona_name, OLD.version, OLD.canonical, OLD.digest, OLD.bundle, OLD.key_id,
            OLD.log_index, OLD.approvals, OLD.governance_report, OLD.draft_id, OLD.sealed_by, OLD.sealed_at) THEN
          RAISE EXCEPTION 'sealed version %.v% is immutable', OLD.persona_name, OLD.version;
        END IF;
        RETURN NEW;
      END $$
    `);
    await runner.query(`
      CREATE TRIGGER versions_immutable BEFORE UPDATE ON registry.versions
        FOR EACH ROW EXECUTE FUNCTION registry.versions_immutable()
    `);
    await runner.query(`
      CREATE TABLE registry.channels (
        tenant_id    text        NOT NULL,
        persona_name text        NOT NULL,
        channel      text        NOT NULL CHECK (channel ~ '^[a-z][a-z0-9-]{0,31}$'),
        version      int         NOT NULL,
        updated_by   text        NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, persona_name, channel),
        FOREIGN KEY (tenant_id, persona_name, version) REFERENCES registry.versions (tenant_id, persona_name, version)
      )
    `);
    await runner.query(`
      CREATE TABLE registry.channel_history (
        seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the order of moves
        tenant_id        text        NOT NULL,
        persona_name     text        NOT NULL,
        channel          text        NOT NULL,
        action           text        NOT NULL CHECK (action IN ('promote', 'rollback')),
        version          int         NOT NULL,
        previous_version int,
        by               text        NOT NULL,
        reason           text        NOT NULL,
        at               timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, persona_name, version) REFERENCES registry.versions (tenant_id, persona_name, version)
      )
    `);
    await runner.query(
      `CREATE INDEX channel_history_channel_idx ON registry.channel_history (tenant_id, persona_name, channel, seq)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE registry.channel_history`);
    await runner.query(`DROP TABLE registry.channels`);
    await runner.query(`DROP TRIGGER versions_immutable ON registry.versions`);
    await runner.query(`DROP FUNCTION registry.versions_immutable()`);
    await runner.query(`DROP TABLE registry.versions`);
  }
}
