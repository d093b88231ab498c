import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { OutboxWake, type OutgoingRecord } from '@personae/messaging';
import { InjectDataSource, PreparedQueries } from '@personae/persistence';
import type { MemoryMessage } from '../domain/prompt-assembly';
import {
  instanceOf,
  memoryOf,
  totalsOf,
  type InstanceRow,
  type RawInstance,
  type RawMessage,
  type SessionRow,
} from './instance.rows';
import { HistoryCache } from './history-cache';
import { RUNTIME_SCHEMA } from './runtime-schema';

/** Most remembered messages loaded per execution; older ones are beyond any model's window anyway. */
export const HISTORY_LIMIT = 200;
/** Characters of remembered messages this process keeps between executions (HistoryCache). */
const HISTORY_CACHE_CHARS = 32 * 1024 * 1024;

const INSTANCE_COLUMNS = `id, tenant_id, session_id, ref, persona_name, version, digest, context, state, memory_epoch,
  status, terminated_reason, created_by, created_at, updated_at, requests, tokens_in, tokens_out, cost`;

/** SQL of the runtime schema: every query filters by tenant. */
@Injectable()
export class RuntimeStore {
  private readonly prepared: PreparedQueries;
  private readonly history = new HistoryCache(HISTORY_LIMIT, HISTORY_CACHE_CHARS);

  constructor(
    @InjectDataSource(RUNTIME_SCHEMA) readonly dataSource: DataSource,
    private readonly outboxWake: OutboxWake,
  ) {
    this.prepared = new PreparedQueries(dataSource, 'runtime');
  }

  /**
   * The hot path's self-contained statements, prepared once per connection (`PreparedQueries`):
   * Postgres then skips parsing and planning them (0.2–0.5 ms of its CPU per call for these CTEs).
   */
  private sql<T>(text: string, params: unknown[]): Promise<T[]> {
    return this.prepared.rows<T>(text, params);
  }

  async createSession(
    manager: EntityManager,
    row: { id: string; tenantId: string; label: string; createdBy: string },
  ): Promise<SessionRow> {
    const [raw] = await manager.query<SessionRaw[]>(
      `INSERT INTO runtime.sessions (id, tenant_id, label, created_by) VALUES ($1, $2, $3, $4)
       RETURNING id, tenant_id, label, created_by, created_at, requests, tokens_in, tokens_out, cost`,
      [row.id, row.tenantId, row.label, row.createdBy],
    );
    return sessionOf(raw!);
  }

  async session(tenantId: string, id: string): Promise<SessionRow | undefined> {
    const [raw] = await this.dataSource.query<SessionRaw[]>(
      `SELECT id, tenant_id, label, created_by, created_at, requests, tokens_in, tokens_out, cost
         FROM runtime.sessions WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return raw ? sessionOf(raw) : undefined;
  }

  async createInstance(
    manager: EntityManager,
    row: Pick<
      InstanceRow,
      'id' | 'tenantId' | 'sessionId' | 'ref' | 'personaName' | 'version' | 'digest' | 'context' | 'createdBy'
    >,
  ): Promise<InstanceRow> {
    const [raw] = await manager.query<RawInstance[]>(
      `INSERT INTO runtime.instances (id, tenant_id, session_id, ref, persona_name, version, digest, context, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${INSTANCE_COLUMNS}`,
      [
        row.id,
        row.tenantId,
        row.sessionId,
        row.ref,
        row.personaName,
        row.version,
        row.digest,
        row.context,
        row.createdBy,
      ],
    );
    return instanceOf(raw!);
  }

  async instance(
    tenantId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<InstanceRow | undefined> {
    const [raw] = await manager.query<RawInstance[]>(
      `SELECT ${INSTANCE_COLUMNS} FROM runtime.instances WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return raw ? instanceOf(raw) : undefined;
  }

  async instances(
    tenantId: string,
    filter: { sessionId?: string; status?: 'active' | 'terminated'; limit: number; offset: number },
  ): Promise<{ items: InstanceRow[]; total: number }> {
    const rows = await this.dataSource.query<(RawInstance & { total: string })[]>(
      `SELECT ${INSTANCE_COLUMNS}, count(*) OVER () AS total FROM runtime.instances
        WHERE tenant_id = $1 AND ($2::uuid IS NULL OR session_id = $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`,
      [tenantId, filter.sessionId ?? null, filter.status ?? null, filter.limit, filter.offset],
    );
    return { items: rows.map(instanceOf), total: Number(rows[0]?.total ?? 0) };
  }

  /**
   * The instance with the current epoch's most recent messages, oldest first, in one round trip. Only
   * messages this process has not read before are read (`HistoryCache`): memory only grows.
   */
  async forExecution(
    tenantId: string,
    id: string,
  ): Promise<{ instance: InstanceRow; history: MemoryMessage[] } | undefined> {
    const position = this.history.position(id);
    const [raw] = await this.sql<RawInstance & { history: (RawMessage & { seq: number })[] | null }>(
      `SELECT ${INSTANCE_COLUMNS.replace(/(\w+)/g, 'i.$1')},
              (SELECT json_agg(h ORDER BY h.seq) FROM (
                 SELECT m.seq, m.role, m.content, m.tool_calls, m.tool_call_id, m.persona_digest
                   FROM runtime.messages m
                  WHERE m.instance_id = i.id AND m.epoch = i.memory_epoch
                    AND m.seq >= CASE WHEN i.memory_epoch = $3 THEN $4 ELSE 0 END
                  ORDER BY m.seq DESC LIMIT ${HISTORY_LIMIT}) h) AS history
         FROM runtime.instances i WHERE i.tenant_id = $1 AND i.id = $2`,
      [tenantId, id, position.epoch, position.since],
    );
    if (!raw) return undefined;
    const instance = instanceOf(raw);
    const since = instance.memoryEpoch === position.epoch ? position.since : 0;
    const fresh = (raw.history ?? []).map((m) => ({ seq: m.seq, message: memoryOf(m) }));
    return { instance, history: this.history.merge(id, instance.memoryEpoch, since, fresh) };
  }

  /** Every message of the current epoch, oldest first (the instance's own memory only). */
  async memory(tenantId: string, id: string, limit: number): Promise<MemoryMessage[]> {
    const rows = await this.dataSource.query<RawMessage[]>(
      `SELECT m.role, m.content, m.tool_calls, m.tool_call_id, m.persona_digest FROM runtime.messages m
         JOIN runtime.instances i ON i.id = m.instance_id AND m.epoch = i.memory_epoch
        WHERE i.tenant_id = $1 AND i.id = $2 ORDER BY m.seq LIMIT $3`,
      [tenantId, id, limit],
    );
    return rows.map(memoryOf);
  }

  async setState(
    manager: EntityManager,
    tenantId: string,
    id: string,
    state: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      `UPDATE runtime.instances SET state = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, JSON.stringify(state)],
    );
  }

  async terminate(manager: EntityManager, tenantId: string, id: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE runtime.instances SET status = 'terminated', terminated_reason = $3, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, reason],
    );
  }

  /**
   * Points the instance at another persona, if it is still as the caller read it (`expected`):
   * one statement updates it (a reset starts a new memory epoch with empty state), records the swap,
   * writes the runtime.swaps event to the outbox and returns the instance as it now is (the relay is
   * woken after the commit, see OutboxWake). Undefined when the instance changed meanwhile (or was
   * terminated): nothing was written.
   *
   * The commit does not wait for its WAL flush (synchronous_commit off for this statement): a swap is
   * durable before anything depends on it. Its first execution, the relay's append of its event and
   * every other synchronous commit flush the WAL in order, and with it the swap; so a database crash
   * can lose only a swap nothing has used yet (atomically: instance, swap row and event together, the
   * instance then still on its old persona, which every execution re-verifies anyway). A service
   * restart loses nothing: the commit is done. What it saves is an fsync per swap (p50 0.3 ms, p99
   * 0.7–1.4 ms on this machine), more than the target of a warm swap allows.
   */
  async swap(
    input: {
      tenantId: string;
      id: string;
      ref: string;
      personaName: string;
      version: number;
      digest: string;
      reset: boolean;
      swapId: string;
      from: { ref: string; digest: string };
      expected: { ref: string; digest: string; memoryEpoch: number };
      by: string;
    },
    event: OutgoingRecord,
  ): Promise<InstanceRow | undefined> {
    const [row] = await this.sql<RawInstance>(
      `WITH moved AS (
         UPDATE runtime.instances
            SET ref = $3, persona_name = $4, version = $5, digest = $6, updated_at = now(),
                memory_epoch = memory_epoch + CASE WHEN $7 THEN 1 ELSE 0 END,
                state = CASE WHEN $7 THEN '{}'::jsonb ELSE state END
          WHERE tenant_id = $1 AND id = $2 AND status = 'active'
            AND ref = $12 AND digest = $13 AND memory_epoch = $14
            AND set_config('synchronous_commit', 'off', true) = 'off'
          RETURNING ${INSTANCE_COLUMNS}),
       swapped AS (
         INSERT INTO runtime.swaps (id, tenant_id, instance_id, from_ref, from_digest, to_ref, to_digest, memory, swapped_by)
         SELECT $8, $1, id, $9, $10, $3, $6, CASE WHEN $7 THEN 'reset' ELSE 'carried' END, $11 FROM moved
         RETURNING 1),
       outbox AS (
         INSERT INTO runtime.outbox (event_id, topic, key, headers, value)
         SELECT $15, $16, $17, $18, $19 FROM moved
         RETURNING 1)
       SELECT moved.* FROM moved`,
      [
        input.tenantId,
        input.id,
        input.ref,
        input.personaName,
        input.version,
        input.digest,
        input.reset,
        input.swapId,
        input.from.ref,
        input.from.digest,
        input.by,
        input.expected.ref,
        input.expected.digest,
        input.expected.memoryEpoch,
        event.eventId,
        event.topic,
        event.key,
        JSON.stringify(event.headers),
        event.value,
      ],
    );
    if (!row) return undefined;
    this.outboxWake.soon();
    return instanceOf(row);
  }
}

interface SessionRaw {
  id: string;
  tenant_id: string;
  label: string;
  created_by: string;
  created_at: Date;
  requests: string;
  tokens_in: string;
  tokens_out: string;
  cost: number;
}

function sessionOf(raw: SessionRaw): SessionRow {
  return {
    id: raw.id,
    tenantId: raw.tenant_id,
    label: raw.label,
    createdBy: raw.created_by,
    createdAt: new Date(raw.created_at).toISOString(),
    totals: totalsOf(raw),
  };
}
