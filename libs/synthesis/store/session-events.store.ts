import type { EntityManager } from 'typeorm';
import type { SessionEvent } from '../domain/session-event';

/** A training event to store, with the tenant and session its envelope names. */
export interface StoredEvent {
  tenantId: string;
  sessionId: string;
  event: SessionEvent;
}

/** The pipeline's copy of the training events, per session. */
export const sessionEventsStore = {
  /**
   * Stores a batch of events (one statement), each unless its session belongs to another tenant: a
   * session's tenant is its stored events' tenant, else that of its first event in the batch.
   * Idempotent on the event id (a redelivered event is stored once and counted once). Returns the ids
   * of the events refused as another tenant's, and the sessions whose open run this batch completed.
   */
  async recordMany(
    manager: Pick<EntityManager, 'query'>,
    events: StoredEvent[],
  ): Promise<{ foreignEventIds: string[]; completedSessions: string[] }> {
    if (events.length === 0) return { foreignEventIds: [], completedSessions: [] };
    const rows: { foreign: string[] | null; completed: string[] | null }[] = await manager.query(
      // Commit without waiting for the WAL flush (as the messaging layer does for its bookkeeping):
      // a crash can only lose the latest commits, and the consumer's later offset commit with them, so
      // the events are redelivered rather than lost.
      `WITH relaxed AS (
         SELECT set_config('synchronous_commit', 'off', true)
       ), input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(
           ord int, event_id uuid, tenant_id text, session_id uuid, kind text, sequence int,
           occurred_at timestamptz, body jsonb)
       ), owner AS (
         -- any one stored event names the session's tenant (an index probe, not a scan of the session)
         SELECT s.session_id, coalesce(
                  (SELECT e.tenant_id FROM synthesis.session_events e WHERE e.session_id = s.session_id LIMIT 1),
                  (SELECT f.tenant_id FROM input f WHERE f.session_id = s.session_id ORDER BY f.ord LIMIT 1)
                ) AS tenant_id
           FROM (SELECT DISTINCT session_id FROM input) s
       ), stored AS (
         INSERT INTO synthesis.session_events (event_id, tenant_id, session_id, kind, sequence, occurred_at, body)
         SELECT i.event_id, i.tenant_id, i.session_id, i.kind, i.sequence, i.occurred_at, i.body
           FROM input i JOIN owner o ON o.session_id = i.session_id AND o.tenant_id = i.tenant_id
          WHERE EXISTS (SELECT 1 FROM relaxed)
          ORDER BY i.ord
         ON CONFLICT (event_id) DO NOTHING RETURNING session_id, kind
       ), counted AS (
         -- new events of closed sessions: count them, and say whether each session is now complete
         UPDATE synthesis.runs r SET received = r.received + n.added
           FROM (SELECT session_id, count(*) AS added FROM stored WHERE kind <> 'closed' GROUP BY session_id) n
          WHERE r.session_id = n.session_id
         RETURNING r.session_id,
                   r.received >= CASE WHEN r.closed_sequence > 0 THEN r.closed_sequence - 1 ELSE r.event_count END AS complete
       )
       SELECT (SELECT array_agg(i.event_id::text ORDER BY i.ord) FROM input i JOIN owner o USING (session_id)
                WHERE o.tenant_id <> i.tenant_id) AS foreign,
              (SELECT array_agg(session_id::text) FROM counted WHERE complete) AS completed`,
      [
        JSON.stringify(
          events.map((e, i) => ({
            ord: i + 1,
            event_id: e.event.id,
            tenant_id: e.tenantId,
            session_id: e.sessionId,
            kind: e.event.kind,
            sequence: e.event.sequence,
            occurred_at: e.event.at,
            body: e.event,
          })),
        ),
      ],
    );
    return { foreignEventIds: rows[0]?.foreign ?? [], completedSessions: rows[0]?.completed ?? [] };
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
