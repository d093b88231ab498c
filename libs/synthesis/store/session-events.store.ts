import type { EntityManager } from 'typeorm';
import type { SessionEvent } from '../domain/session-event';

/** The pipeline's copy of the training events, per session. */
export const sessionEventsStore = {
  /**
   * Stores the event unless its session belongs to another tenant; one round trip that also says
   * whether the session's run is open (so only events that may complete a session trigger a run).
   * Idempotent on the event id (a redelivered event is stored once).
   */
  async record(
    manager: EntityManager,
    tenantId: string,
    sessionId: string,
    event: SessionEvent,
  ): Promise<{ foreignTenant: boolean; runState: string | null; complete: boolean }> {
    const rows: { foreign_tenant: boolean; run_state: string | null; complete: boolean | null }[] =
      await manager.query(
        // Commit without waiting for the WAL flush (as the messaging layer does for its bookkeeping):
        // a crash can only lose the latest commits, and the consumer's later offset commit with them, so
        // the event is redelivered rather than lost. Per-event fsyncs made consuming 1,000 turns take 10 s.
        `WITH relaxed AS (
         SELECT set_config('synchronous_commit', 'off', true)
       ), other AS (
         -- any one stored event names the session's tenant (an index probe, not a scan of the session)
         SELECT 1 FROM (SELECT tenant_id FROM synthesis.session_events WHERE session_id = $3 LIMIT 1) first
          WHERE first.tenant_id <> $2
       ), stored AS (
         INSERT INTO synthesis.session_events (event_id, tenant_id, session_id, kind, sequence, occurred_at, body)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM other)
         ON CONFLICT (event_id) DO NOTHING RETURNING 1
       ), counted AS (
         -- a new event of a closed session: count it, and say whether the session is now complete
         UPDATE synthesis.runs r SET received = r.received + 1
          WHERE r.session_id = $3 AND $4 <> 'closed' AND EXISTS (SELECT 1 FROM stored)
         RETURNING r.received >= CASE WHEN r.closed_sequence > 0 THEN r.closed_sequence - 1 ELSE r.event_count END AS complete
       )
       SELECT EXISTS (SELECT 1 FROM relaxed) AND EXISTS (SELECT 1 FROM other) AS foreign_tenant,
              (SELECT state FROM synthesis.runs WHERE session_id = $3) AS run_state,
              (SELECT complete FROM counted) AS complete`,
        [event.id, tenantId, sessionId, event.kind, event.sequence, event.at, JSON.stringify(event)],
      );
    return {
      foreignTenant: rows[0]?.foreign_tenant ?? false,
      runState: rows[0]?.run_state ?? null,
      complete: rows[0]?.complete ?? false,
    };
  },

  /** Every stored event of a tenant's session (any order: the domain orders them). */
  async list(manager: EntityManager, tenantId: string, sessionId: string): Promise<SessionEvent[]> {
    const rows: { body: SessionEvent }[] = await manager.query(
      `SELECT body FROM synthesis.session_events WHERE session_id = $1 AND tenant_id = $2`,
      [sessionId, tenantId],
    );
    return rows.map((row) => row.body);
  },

  /** How many events of the session arrived, and how many of them fill sequence 1..before-1. */
  async count(
    manager: EntityManager,
    sessionId: string,
    before: number,
  ): Promise<{ all: number; numbered: number }> {
    const [row]: { all: string; numbered: string }[] = await manager.query(
      `SELECT count(*) FILTER (WHERE kind <> 'closed') AS all,
              count(DISTINCT sequence) FILTER (WHERE sequence BETWEEN 1 AND $2 - 1) AS numbered
         FROM synthesis.session_events WHERE session_id = $1`,
      [sessionId, before],
    );
    return { all: Number(row?.all ?? 0), numbered: Number(row?.numbered ?? 0) };
  },
};
