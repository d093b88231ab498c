import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1732190000100 implements MigrationInterface {
  name = 'CreateApiKeys1732190000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.api_keys (
        id            uuid        PRIMARY KEY,
        tenant_id     text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        role          text        NOT NULL CHECK (role IN ('admin', 'trainer', 'reviewer', 'signer', 'auditor', 'orchestrator')),
        label         text        NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
        secret_hash   bytea       NOT NULL CHECK (octet_length(secret_hash) = 32),  -- SHA-256, never the secret
        created_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text        NOT NULL,
        revoked_at    timestamptz,
        revoked_by    text,
        last_used_at  timestamptz  -- refreshed at most once a minute
      )
    `);
    // Listing a tenant's keys, newest first.
    await runner.query(
      `CREATE INDEX api_keys_tenant_created_idx ON auth.api_keys (tenant_id, created_at DESC)`,
    );
    // "Is there any active admin key?" at every start.
    await runner.query(
      `CREATE INDEX api_keys_active_role_idx ON auth.api_keys (role) WHERE revoked_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.api_keys`);
  }
}
