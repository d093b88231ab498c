import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OutboxWake, type OutgoingRecord } from '@personae/messaging';
import { InjectDataSource, PreparedQueries } from '@personae/persistence';
import type { NewMessage } from './instance.rows';
import { RUNTIME_SCHEMA } from './runtime-schema';

export interface ExecutionRecord {
  id: string;
  tenantId: string;
  instanceId: string | null;
  sessionId: string | null;
  personaRef: string;
  digest: string;
  action: string;
  outcome: 'completed' | 'denied' | 'failed';
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  latencyMs: number;
  receipt: unknown;
  /** Appended to the instance's memory (only when its persona is still `digest`). */
  messages: NewMessage[];
}

/** Executions and their receipts: written once each, with the instance's memory and totals. */
@Injectable()
export class ExecutionsStore {
  private readonly prepared: PreparedQueries;

  constructor(
    @InjectDataSource(RUNTIME_SCHEMA) private readonly dataSource: DataSource,
    private readonly outboxWake: OutboxWake,
  ) {
    // The same prefix as RuntimeStore's: one set of named statements per connection of the pool.
    this.prepared = new PreparedQueries(dataSource, 'runtime');
  }

  /**
   * One statement, so one round trip and atomic without BEGIN/COMMIT: the execution row, the memory
   * appended (only if the instance still runs the persona the execution ran, so a swap in between
   * never mixes memories), the totals of the instance and its session, and the runtime.executions
   * event in the outbox (the transactional outbox, written by the same statement); the relay is woken
   * after the commit (OutboxWake). Data-modifying WITH clauses always run to completion.
   */
  async recordExecution(record: ExecutionRecord, event: OutgoingRecord): Promise<void> {
    await this.prepared.rows(
      `WITH inst AS (
         UPDATE runtime.instances
            SET requests = requests + 1, tokens_in = tokens_in + $9, tokens_out = tokens_out + $10,
                cost = cost + $11, next_seq = next_seq + CASE WHEN digest = $6 THEN $14::int ELSE 0 END, updated_at = now()
          WHERE tenant_id = $2 AND id = $3
          RETURNING id, memory_epoch, next_seq - CASE WHEN digest = $6 THEN $14::int ELSE 0 END AS first_seq,
                    digest = $6 AS same_persona),
       sess AS (
         UPDATE runtime.sessions
            SET requests = requests + 1, tokens_in = tokens_in + $9, tokens_out = tokens_out + $10, cost = cost + $11
          WHERE tenant_id = $2 AND id = $4 RETURNING id),
       msgs AS (
         INSERT INTO runtime.messages (instance_id, seq, epoch, role, content, tool_calls, tool_call_id, persona_digest, execution_id)
         SELECT inst.id, inst.first_seq + m.ord - 1, inst.memory_epoch, m.role, m.content, m.tool_calls, m.tool_call_id, $6, $1
           FROM inst, ROWS FROM (jsonb_to_recordset($15::jsonb) AS (role text, content text, tool_calls jsonb, tool_call_id text))
                WITH ORDINALITY AS m(role, content, tool_calls, tool_call_id, ord)
          WHERE inst.same_persona
         RETURNING 1),
       exec AS (
         INSERT INTO runtime.executions (id, tenant_id, instance_id, session_id, persona_ref, digest, action, outcome, model,
                                         tokens_in, tokens_out, cost, latency_ms, receipt)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $12, $9, $10, $11, $13, $16) RETURNING 1),
       outbox AS (
         INSERT INTO runtime.outbox (event_id, topic, key, headers, value)
         SELECT $17, $18, $19, $20, $21 FROM exec RETURNING 1)
       SELECT count(*) FROM outbox`,
      [
        record.id,
        record.tenantId,
        record.instanceId,
        record.sessionId,
        record.personaRef,
        record.digest,
        record.action,
        record.outcome,
        record.tokensIn,
        record.tokensOut,
        record.cost,
        record.model,
        record.latencyMs,
        record.messages.length,
        JSON.stringify(
          record.messages.map((m) => ({
            role: m.role,
            content: m.content,
            tool_calls: m.toolCalls?.length ? m.toolCalls : null,
            tool_call_id: m.toolCallId ?? null,
          })),
        ),
        JSON.stringify(record.receipt),
        event.eventId,
        event.topic,
        event.key,
        JSON.stringify(event.headers),
        event.value,
      ],
    );
    this.outboxWake.soon();
  }

  async receipt(tenantId: string, id: string): Promise<unknown> {
    const [row] = await this.dataSource.query<{ receipt: unknown }[]>(
      `SELECT receipt FROM runtime.executions WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return row?.receipt;
  }
}
