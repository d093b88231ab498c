import type { MigrationInterface, QueryRunner } from 'typeorm';
import { budgetCountersTableSql } from '@personae/policy';

/** Sessions, instances with their memory, executions with their receipts, swaps, tools, receipt keys. */
export class CreateRuntime1732190000700 implements MigrationInterface {
  name = 'CreateRuntime1732190000700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE runtime.sessions (
        id          uuid        PRIMARY KEY,
        tenant_id   text        NOT NULL,
        label       text        NOT NULL DEFAULT '',
        created_by  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        requests    bigint      NOT NULL DEFAULT 0,
        tokens_in   bigint      NOT NULL DEFAULT 0,
        tokens_out  bigint      NOT NULL DEFAULT 0,
        cost        double precision NOT NULL DEFAULT 0
      )`);
    await runner.query(`CREATE INDEX sessions_tenant ON runtime.sessions (tenant_id, created_at DESC)`);
    await runner.query(`
      CREATE TABLE runtime.instances (
        id                uuid        PRIMARY KEY,
        tenant_id         text        NOT NULL,
        session_id        uuid        REFERENCES runtime.sessions (id),
        ref               text        NOT NULL,   -- as asked for: name.vN or name@channel
        persona_name      text        NOT NULL,
        version           int         NOT NULL,
        digest            text        NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        context           text        NOT NULL DEFAULT '',
        state             jsonb       NOT NULL DEFAULT '{}',
        memory_epoch      int         NOT NULL DEFAULT 0,  -- a memory reset starts a new epoch
        next_seq          int         NOT NULL DEFAULT 0,
        status            text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated')),
        terminated_reason text,
        created_by        text        NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        requests          bigint      NOT NULL DEFAULT 0,
        tokens_in         bigint      NOT NULL DEFAULT 0,
        tokens_out        bigint      NOT NULL DEFAULT 0,
        cost              double precision NOT NULL DEFAULT 0
      )`);
    await runner.query(`CREATE INDEX instances_tenant ON runtime.instances (tenant_id, created_at DESC)`);
    await runner.query(`CREATE INDEX instances_session ON runtime.instances (session_id)`);
    await runner.query(`
      CREATE TABLE runtime.messages (
        instance_id   uuid        NOT NULL REFERENCES runtime.instances (id),
        seq           int         NOT NULL,
        epoch         int         NOT NULL,
        role          text        NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
        content       text        NOT NULL,
        tool_calls    jsonb,
        tool_call_id  text,
        persona_digest text       NOT NULL,
        execution_id  uuid        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (instance_id, seq)
      )`);
    await runner.query(`
      CREATE TABLE runtime.executions (
        id           uuid        PRIMARY KEY,
        tenant_id    text        NOT NULL,
        instance_id  uuid,
        session_id   uuid,
        persona_ref  text        NOT NULL,
        digest       text        NOT NULL,
        action       text        NOT NULL,
        outcome      text        NOT NULL CHECK (outcome IN ('completed', 'denied', 'failed')),
        model        text,
        tokens_in    int         NOT NULL,
        tokens_out   int         NOT NULL,
        cost         double precision NOT NULL,
        latency_ms   int         NOT NULL,
        receipt      jsonb       NOT NULL,   -- the signed receipt, as served
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX executions_instance ON runtime.executions (instance_id, created_at)`);
    await runner.query(`CREATE INDEX executions_tenant ON runtime.executions (tenant_id, created_at DESC)`);
    await runner.query(`
      CREATE TABLE runtime.swaps (
        id           uuid        PRIMARY KEY,
        tenant_id    text        NOT NULL,
        instance_id  uuid        NOT NULL REFERENCES runtime.instances (id),
        from_ref     text        NOT NULL,
        from_digest  text        NOT NULL,
        to_ref       text        NOT NULL,
        to_digest    text        NOT NULL,
        memory       text        NOT NULL CHECK (memory IN ('carried', 'reset')),
        swapped_by   text        NOT NULL,
        swapped_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE runtime.tools (
        tenant_id   text        NOT NULL,
        name        text        NOT NULL,
        url         text        NOT NULL,
        timeout_ms  int         NOT NULL CHECK (timeout_ms BETWEEN 1 AND 600000),
        created_by  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )`);
    // The receipt key: private half only under the KEK ring; one active at a time.
    await runner.query(`
      CREATE TABLE runtime.receipt_keys (
        key_id                text        PRIMARY KEY,
        public_key_pem        text        NOT NULL,
        encrypted_private_key bytea       NOT NULL,
        kek_id                text        NOT NULL,
        status                text        NOT NULL CHECK (status IN ('active', 'retired')),
        created_at            timestamptz NOT NULL DEFAULT now(),
        retired_at            timestamptz
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX receipt_keys_one_active ON runtime.receipt_keys (status) WHERE status = 'active'`,
    );
    // Budget counters of @personae/policy's Postgres adapter (used when REDIS_URL is unset).
    await runner.query(budgetCountersTableSql('runtime.budget_counters'));
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'budget_counters',
      'receipt_keys',
      'tools',
      'swaps',
      'executions',
      'messages',
      'instances',
      'sessions',
    ])
      await runner.query(`DROP TABLE runtime.${table}`);
  }
}
