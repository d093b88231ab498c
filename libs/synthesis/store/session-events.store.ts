import type { EntityManager } from 'typeorm';
import type { SessionEvent } from '../domain/session-event';

/** The pipeline's copy of the training events, per session. */
export const sessionEventsStore = {
  /** The tenant a session's events were stored under, if any arrived yet. */
  async tenantOf(manager: EntityManager, sessionId: string): Promise<string | undefined> {
    const rows: { tenant_id: string }[] = await manager.query(
      `SELECT tenant_id FROM synthesis.session_events WHERE session_id = $1 LIMIT 1`,
      [sessionId],
    );
    return rows[0]?.tenant_id;
  },

  /** Idempotent on the event id (a redelivered event is stored once). */
  async record(manager: EntityManager, tenantId: string, sessionId: string, event: SessionEvent): Promise<void> {
    await manager.query(
      `INSERT INTO synthesis.session_events (event_id, tenant_id, session_id, kind, sequence, occurred_at, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
      [event.id, tenantId, sessionId, event.kind, event.sequence, event.at, JSON.stringify(event)],
    );
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
  async count(manager: EntityManager, sessionId: string, before: number): Promise<{ all: number; numbered: number }> {
    const [row]: { all: string; numbered: string }[] = await manager.query(
      `SELECT count(*) FILTER (WHERE kind <> 'closed') AS all,
              count(DISTINCT sequence) FILTER (WHERE sequence BETWEEN 1 AND $2 - 1) AS numbered
         FROM synthesis.session_events WHERE session_id = $1`,
      [sessionId, before],
    );
    return { all: Number(row?.all ?? 0), numbered: Number(row?.numbered ?? 0) };
  },
};
