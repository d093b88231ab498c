import type { MigrationInterface, QueryRunner } from 'typeorm';
import { budgetCountersTableSql } from '@personae/policy';

/** Tenant policy versions (immutable) with an active pointer, approval requests, budget counters. */
export class CreateGovernanceTables1732190000400 implements MigrationInterface {
  name = 'CreateGovernanceTables1732190000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE governance.policy_versions (
        tenant_id  text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        version    int         NOT NULL CHECK (version >= 1),
        name       text        NOT NULL,
        document   jsonb       NOT NULL,  -- validated, contradiction-free; never updated
        digest     text        NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        created_by text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, version)
      )
    `);
    // One row per tenant that has a policy in force; absent means the constitution alone.
    await runner.query(`
      CREATE TABLE governance.active_policies (
        tenant_id    text        PRIMARY KEY,
        version      int         NOT NULL,
        activated_by text        NOT NULL,
        activated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, version) REFERENCES governance.policy_versions (tenant_id, version)
      )
    `);
    await runner.query(`
      CREATE TABLE governance.approvals (
        id                 uuid        PRIMARY KEY,  -- UUIDv7
        tenant_id          text        NOT NULL,
        decision_id        uuid        NOT NULL,
        state              text        NOT NULL CHECK (state IN ('pending', 'approved', 'denied')),
        persona_name       text        NOT NULL,
        action             text        NOT NULL,
        tool               text,
        rule_ids           text[]      NOT NULL,
        reasons            text[]      NOT NULL,
        policy_versions    jsonb       NOT NULL,
        escalation_channel text        NOT NULL,
        input_redacted     text,                     -- the request's input with personal data removed
        requested_by       text        NOT NULL,
        requested_at       timestamptz NOT NULL DEFAULT now(),
        resolved_by        text,
        resolved_at        timestamptz,
        comment            text        NOT NULL DEFAULT '',
        used_by_decision   uuid,                     -- the decision that redeemed an approved request (once)
        CHECK ((state = 'pending') = (resolved_by IS NULL)),
        CHECK (used_by_decision IS NULL OR state = 'approved')
      )
    `);
    await runner.query(
      `CREATE INDEX approvals_tenant_state_idx ON governance.approvals (tenant_id, state, requested_at DESC)`,
    );
    await runner.query(budgetCountersTableSql('governance.budget_counters'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE governance.budget_counters`);
    await runner.query(`DROP TABLE governance.approvals`);
    await runner.query(`DROP TABLE governance.active_policies`);
    await runner.query(`DROP TABLE governance.policy_versions`);
  }
}
