import type { RecordedTurn } from '../domain/conversation-history';
import type { GuidanceItem } from '../domain/draft-prompt';
import type { Db } from './session.store';

/** One event, ready but for its sequence number, which the statement assigns and stamps in. */
export interface UnnumberedEvent {
  /** 1-based position among the events of this call. */
  ord: number;
  id: string;
  type: string;
  role?: string;
  targetEventId?: string;
  occurredAt: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  /** The envelope in proto3 JSON (serializeEvent's text: spliced in as is, not parsed again). */
  envelope: string;
  /** Where the payload's `sequence` goes, e.g. ['payload', 'turn', 'sequence']. */
  sequencePath: string[];
}

export interface RecordAtOnce {
  tenantId: string;
  sessionId: string;
  maxEvents: number;
  events: UnnumberedEvent[];
  /** Appended to the session's guidance, keeping the newest `guidanceLimit`. */
  guidance?: GuidanceItem;
  guidanceLimit: number;
  /** New turns for the agent's memory, which keeps the newest `memoryLimit`. */
  turns?: RecordedTurn[];
  /** A correction of a remembered agent turn: it replaces what the agent said from now on. */
  correction?: { eventId: string; correctedAnswer: string };
  memoryLimit: number;
}

/**
 * The hot path in one statement (one round trip, one implicit transaction): lock the open session and
 * take its next sequence numbers, stamp them into the envelopes, insert the timeline rows and the outbox
 * rows (in order: the relay publishes by outbox id), update the guidance and the agent's memory (new
 * turns, a correction in place of the turn it corrects). The caller wakes the relay after the commit
 * (OutboxWake). Returns the
 * sequence before the first new event, or undefined when the session is unknown, another tenant's, not
 * open or full (then nothing was written).
 */
export async function recordAtOnce(db: Db, input: RecordAtOnce): Promise<number | undefined> {
  const rows = await db.query<{ base: number | null }[]>(
    `WITH claimed AS (
       UPDATE training.sessions
          SET last_sequence = last_sequence + $3,
              guidance = CASE WHEN $6::jsonb IS NULL THEN guidance ELSE (
                SELECT coalesce(jsonb_agg(newest.value ORDER BY newest.ord), '[]'::jsonb)
                  FROM (SELECT value, ord FROM jsonb_array_elements(guidance || jsonb_build_array($6::jsonb))
                          WITH ORDINALITY AS item(value, ord)
                         ORDER BY ord DESC LIMIT $7) newest) END,
              memory = CASE WHEN $8::jsonb IS NULL AND $9::jsonb IS NULL THEN memory ELSE (
                SELECT coalesce(jsonb_agg(CASE WHEN remembered.value->>'eventId' = $9::jsonb->>'eventId'
                                               THEN remembered.value || ($9::jsonb - 'eventId')
                                               ELSE remembered.value END ORDER BY remembered.ord), '[]'::jsonb)
                  FROM (SELECT value, ord FROM jsonb_array_elements(memory || coalesce($8::jsonb, '[]'::jsonb))
                          WITH ORDINALITY AS item(value, ord)
                         ORDER BY ord DESC LIMIT $10) remembered) END
        WHERE id = $1 AND tenant_id = $2 AND state = 'open' AND last_sequence + $3 <= $4
        RETURNING last_sequence - $3 AS base),
     incoming AS (
       SELECT e.*, claimed.base + e.ord AS sequence,
              jsonb_set(e.envelope, e.sequence_path, to_jsonb(claimed.base + e.ord)) AS stamped
         FROM claimed, jsonb_to_recordset($5::jsonb) AS e(
           ord int, id uuid, type text, role text, target_event_id uuid, occurred_at timestamptz,
           topic text, key text, headers jsonb, envelope jsonb, sequence_path text[])),
     timeline AS (
       INSERT INTO training.events (id, session_id, tenant_id, sequence, type, role, target_event_id, occurred_at, envelope)
       SELECT id, $1, $2, sequence, type, role, target_event_id, occurred_at, stamped FROM incoming),
     published AS (
       INSERT INTO training.outbox (event_id, topic, key, headers, value)
       SELECT id, topic, key, headers, stamped::text FROM incoming ORDER BY ord
       RETURNING 1)
     SELECT (SELECT base FROM claimed) AS base FROM (SELECT 1 FROM published LIMIT 1) written`,
    [
      input.sessionId,
      input.tenantId,
      input.events.length,
      input.maxEvents,
      eventsJson(input.events),
      input.guidance ? JSON.stringify(input.guidance) : null,
      input.guidanceLimit,
      input.turns?.length ? JSON.stringify(input.turns) : null,
      input.correction ? JSON.stringify(input.correction) : null,
      input.memoryLimit,
    ],
  );
  return rows[0]?.base ?? undefined;
}

/** The events as one JSON array for jsonb_to_recordset, each envelope's JSON text spliced in unparsed. */
function eventsJson(events: UnnumberedEvent[]): string {
  const items = events.map((e) => {
    const fields = JSON.stringify({
      ord: e.ord,
      id: e.id,
      type: e.type,
      role: e.role ?? null,
      target_event_id: e.targetEventId ?? null,
      occurred_at: e.occurredAt,
      topic: e.topic,
      key: e.key,
      headers: e.headers,
      sequence_path: e.sequencePath,
    });
    return `${fields.slice(0, -1)},"envelope":${e.envelope}}`;
  });
  return `[${items.join(',')}]`;
}
