import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The RFC 9162 transparency log: one row per leaf (dense indexes from 0, appended under an
 * advisory lock) and one signed checkpoint per tree size. Both tables are append-only.
 */
export class CreateTransparencyLog1732190000301 implements MigrationInterface {
  name = 'CreateTransparencyLog1732190000301';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE signer.log_leaves (
        log_index        bigint      PRIMARY KEY CHECK (log_index >= 0),
        leaf_hash        bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),  -- SHA-256(0x00 || body)
        body             text        NOT NULL,  -- the Rekor dsse v0.0.1 body, RFC 8785 canonical JSON
        envelope         text        NOT NULL,  -- the DSSE envelope it logs, to re-issue the bundle
        key_id           text        NOT NULL REFERENCES signer.signing_keys (key_id),
        integrated_time  timestamptz NOT NULL,
        tenant_id        text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        pack_name        text        NOT NULL,
        pack_version     integer     NOT NULL CHECK (pack_version >= 1),
        pack_digest      text        NOT NULL CHECK (pack_digest ~ '^sha256:[0-9a-f]{64}$'),
        sealed_by        text        NOT NULL
      )
    `);
    // "Was this version sealed before, and with which digest?" on every seal.
    await runner.query(
      `CREATE INDEX log_leaves_pack_idx ON signer.log_leaves (tenant_id, pack_name, pack_version)`,
    );
    await runner.query(`
      CREATE TABLE signer.checkpoints (
        tree_size   bigint      PRIMARY KEY CHECK (tree_size >= 1),
        root_hash   bytea       NOT NULL CHECK (octet_length(root_hash) = 32),
        note        text        NOT NULL,  -- C2SP signed note, as bundles carry it
        key_id      text        NOT NULL REFERENCES signer.signing_keys (key_id),
        created_at  timestamptz NOT NULL
      )
    `);
    // Append-only: a log whose past can be edited in place proves nothing.
    await runner.query(`
      CREATE FUNCTION signer.refuse_log_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the transparency log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
      END
      $$
    `);
    for (const table of ['log_leaves', 'checkpoints']) {
      await runner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON signer.${table}
          FOR EACH ROW EXECUTE FUNCTION signer.refuse_log_rewrite()
      `);
      await runner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON signer.${table}
          FOR EACH STATEMENT EXECUTE FUNCTION signer.refuse_log_rewrite()
      `);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE signer.checkpoints`);
    await runner.query(`DROP TABLE signer.log_leaves`);
    await runner.query(`DROP FUNCTION signer.refuse_log_rewrite()`);
  }
}
