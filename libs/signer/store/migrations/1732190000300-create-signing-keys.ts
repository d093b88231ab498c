import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ed25519 keys the signer holds. The private half is stored only as an envelope-encrypted PKCS#8
 * blob (a fresh data key wrapped by the KEK named in kek_id), and is erased when the key is revoked.
 */
export class CreateSigningKeys1732190000300 implements MigrationInterface {
  name = 'CreateSigningKeys1732190000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE signer.signing_keys (
        key_id                text        PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{64}$'),  -- SHA-256 of the SPKI DER
        tenant_id             text        CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'), -- NULL: a platform key
        purpose               text        NOT NULL CHECK (purpose IN ('pack-signer', 'log', 'receipt')),
        public_key_pem        text        NOT NULL,
        encrypted_private_key bytea,      -- encryptSecret(KEK ring, PKCS#8 DER); never the key in clear
        kek_id                text,       -- the KEK that wraps it, so a KEK rotation knows what to re-wrap
        status                text        NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
        created_at            timestamptz NOT NULL DEFAULT now(),
        created_by            text        NOT NULL,
        retired_at            timestamptz,
        revoked_at            timestamptz,
        revoked_by            text,
        reason                text        CHECK (char_length(reason) <= 1000),
        -- pack-signer keys belong to one tenant; the log and receipt keys to the platform
        CHECK ((purpose = 'pack-signer') = (tenant_id IS NOT NULL)),
        CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
        -- a live key keeps its (encrypted) private half; a revoked one has it erased
        CHECK ((status = 'revoked') OR (encrypted_private_key IS NOT NULL AND kek_id IS NOT NULL))
      )
    `);
    // One active key per purpose and owner, even if two processes race past the advisory lock.
    await runner.query(`
      CREATE UNIQUE INDEX signing_keys_one_active_idx
        ON signer.signing_keys (purpose, COALESCE(tenant_id, ''))
        WHERE status = 'active'
    `);
    await runner.query(`CREATE INDEX signing_keys_tenant_idx ON signer.signing_keys (tenant_id, created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE signer.signing_keys`);
  }
}
