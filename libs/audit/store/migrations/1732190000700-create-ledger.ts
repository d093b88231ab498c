import type { MigrationInterface, QueryRunner } from 'typeorm';
import { COLUMN } from '../ledger-columns';

/**
 * The audit ledger: one hash chain per tenant, append-only.
 *
 * `entry` is the canonical JSON the chain hashes (see domain/ledger-entry.ts) and the only source
 * of everything queries read: `doc` is generated from it by the database, every filter index is an
 * expression over `doc`, and a CHECK ties the key columns to it, so no query column can change
 * without changing the hashed text. `hash` = SHA-256(previous hash ‖ entry).
 *
 * Append-only is enforced in the database: a trigger refuses UPDATE, DELETE and TRUNCATE of
 * ledger entries and checkpoints whoever the role is (the service may run as the database owner in
 * embedded mode, where privileges alone would not hold), and PUBLIC loses those privileges as well.
 * Only a superuser disabling the trigger can change a row, and verification then names the row.
 */
export class CreateLedger1732190000700 implements MigrationInterface {
  name = 'CreateLedger1732190000700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit.ledger_entries (
        tenant_id  text   NOT NULL,
        position   bigint NOT NULL CHECK (position >= 0),
        entry      text   NOT NULL,
        hash       bytea  NOT NULL CHECK (octet_length(hash) = 32),
        -- The entry parsed once, by the database, minus what no filter reads (the payload above
        -- all, so rows stay small for verification scans): filters read it, none can disagree with it.
        doc        jsonb  NOT NULL GENERATED ALWAYS AS (
                     entry::jsonb - ARRAY['payload', 'actor', 'format', 'recordedAt', 'occurredAt',
                                          'causationId', 'key', 'personaRef']
                   ) STORED,
        PRIMARY KEY (tenant_id, position),
        CONSTRAINT ledger_entries_key_is_the_entry
          CHECK (tenant_id = doc->>'tenantId' AND position = (doc->>'position')::bigint)
      )
    `);
    // Idempotent on event id, whatever the tenant.
    await runner.query(
      `CREATE UNIQUE INDEX ledger_entries_event_idx ON audit.ledger_entries ((${COLUMN.eventId}))`,
    );
    // Filters: each leads with the tenant and ends with the position, the pagination order.
    for (const [name, columns, where] of [
      ['persona', COLUMN.personaName, `${COLUMN.personaName} IS NOT NULL`],
      [
        'persona_version',
        `${COLUMN.personaName}, ${COLUMN.personaVersion}`,
        `${COLUMN.personaVersion} IS NOT NULL`,
      ],
      ['session', COLUMN.sessionId, `${COLUMN.sessionId} IS NOT NULL`],
      ['actor', COLUMN.actorId, ''],
      ['type', COLUMN.type, ''],
      ['topic', COLUMN.topic, ''],
      ['decision', `${COLUMN.decision}, ${COLUMN.override}`, `${COLUMN.decision} IS NOT NULL`],
      ['correlation', COLUMN.correlationId, ''],
      // Recorded time never decreases along a chain: a time range becomes a position range.
      ['time', COLUMN.recordedMs, ''],
    ])
      await runner.query(
        `CREATE INDEX ledger_entries_${name}_idx ON audit.ledger_entries (tenant_id, ${columns}, position)${where ? ` WHERE ${where}` : ''}`,
      );
    await runner.query(
      `CREATE INDEX ledger_entries_refs_idx ON audit.ledger_entries USING gin (${COLUMN.refs} jsonb_path_ops)`,
    );

    // The head of each tenant's chain: the one row appends lock, so positions are gap-free.
    await runner.query(`
      CREATE TABLE audit.chain_heads (
        tenant_id      text   PRIMARY KEY,
        next_position  bigint NOT NULL CHECK (next_position >= 0),
        head_hash      bytea  NOT NULL CHECK (octet_length(head_hash) = 32),
        -- recordedMs of the head entry: the next entry's is never smaller, even if clocks differ.
        last_recorded_ms bigint NOT NULL DEFAULT 0
      )
    `);

    await runner.query(`
      CREATE TABLE audit.checkpoints (
        tenant_id      text        NOT NULL,
        sequence       bigint      NOT NULL CHECK (sequence >= 0),
        from_position  bigint      NOT NULL,
        to_position    bigint      NOT NULL CHECK (to_position >= from_position),
        statement      text        NOT NULL,  -- canonical JSON of the CheckpointStatement
        signature      jsonb       NOT NULL,  -- detached Ed25519 signature {payloadType, keyid, sig}
        key_id         text        NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, sequence),
        UNIQUE (tenant_id, to_position)
      )
    `);

    // Data keys of the PII vault (per tenant, rotated hourly), each wrapped under the KEK ring.
    // Retention deletes old ones too: what they encrypted is unreadable everywhere, backups included.
    await runner.query(`
      CREATE TABLE audit.pii_data_keys (
        key_id       uuid        PRIMARY KEY,
        tenant_id    text        NOT NULL,
        wrapped      bytea       NOT NULL,  -- encryptSecret(KEK ring, 32-byte AES key)
        kek_id       text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )
    `);
    await runner.query(`CREATE INDEX pii_data_keys_created_idx ON audit.pii_data_keys (created_at)`);
    // Clear PII of entries, AES-256-GCM under a data key; retention deletes rows here, never in the ledger.
    await runner.query(`
      CREATE TABLE audit.pii_vault (
        event_id     text        PRIMARY KEY,
        tenant_id    text        NOT NULL,
        data_key_id  uuid        NOT NULL,
        sealed       bytea       NOT NULL,  -- 12-byte nonce ‖ ciphertext ‖ 16-byte tag
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )
    `);
    await runner.query(`CREATE INDEX pii_vault_recorded_idx ON audit.pii_vault (recorded_at)`);

    // The ledger's Ed25519 checkpoint keys; the private half only encrypted under the KEK ring.
    await runner.query(`
      CREATE TABLE audit.ledger_keys (
        key_id                text        PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{64}$'),
        public_key_pem        text        NOT NULL,
        encrypted_private_key bytea       NOT NULL,
        kek_id                text        NOT NULL,
        created_at            timestamptz NOT NULL DEFAULT now()
      )
    `);

    await runner.query(`
      CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$
    `);
    // Statement triggers: they fire even when no row matches, so even an empty DELETE is refused.
    for (const table of ['ledger_entries', 'checkpoints']) {
      await runner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.${table}
           FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
      );
      await runner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit.${table} FROM PUBLIC`);
    }
    // The vault may lose rows (retention) but never have one rewritten; keys are never rewritten
    // nor dropped, since old checkpoints verify with them.
    for (const [table, operations] of [
      ['pii_vault', 'UPDATE'],
      ['pii_data_keys', 'UPDATE'],
      ['ledger_keys', 'UPDATE OR DELETE OR TRUNCATE'],
    ])
      await runner.query(
        `CREATE TRIGGER ${table}_no_rewrite BEFORE ${operations} ON audit.${table}
           FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
      );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'ledger_keys',
      'pii_vault',
      'pii_data_keys',
      'checkpoints',
      'chain_heads',
      'ledger_entries',
    ])
      await runner.query(`DROP TABLE audit.${table}`);
    await runner.query(`DROP FUNCTION audit.refuse_change()`);
  }
}
