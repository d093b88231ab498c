import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sealed versions a tenant withdrew: verifiers refuse them by `name.vN` and by digest. */
export class CreateVersionRevocations1732190000303 implements MigrationInterface {
  name = 'CreateVersionRevocations1732190000303';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE signer.version_revocations (
        id          uuid        PRIMARY KEY,
        tenant_id   text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        pack_name   text        NOT NULL,
        version     integer     NOT NULL CHECK (version >= 1),
        digest      text        NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        reason      text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
        revoked_by  text        NOT NULL,
        revoked_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, pack_name, version)
      )
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE signer.version_revocations`);
  }
}
