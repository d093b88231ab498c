import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who may seal (and revoke) in a tenant: principal subjects an admin registered, with their roles. */
export class CreateTrustedIdentities1732190000302 implements MigrationInterface {
  name = 'CreateTrustedIdentities1732190000302';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE signer.trusted_identities (
        id            uuid        PRIMARY KEY,
        tenant_id     text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        subject       text        NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 256),
        display_name  text        NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
        roles         text[]      NOT NULL CHECK (cardinality(roles) >= 1
                                                  AND roles <@ ARRAY['pack-signer', 'pack-revoker']),
        created_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text        NOT NULL,
        revoked_at    timestamptz,
        revoked_by    text
      )
    `);
    // A subject is registered at most once at a time per tenant; revoked rows stay as history.
    await runner.query(`
      CREATE UNIQUE INDEX trusted_identities_active_subject_idx
        ON signer.trusted_identities (tenant_id, subject)
        WHERE revoked_at IS NULL
    `);
    await runner.query(
      `CREATE INDEX trusted_identities_tenant_idx ON signer.trusted_identities (tenant_id, created_at DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE signer.trusted_identities`);
  }
}
