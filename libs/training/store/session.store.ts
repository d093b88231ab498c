import type { EntityManager } from 'typeorm';
import type { RecordedTurn } from '../domain/conversation-history';
import type { SessionState } from '../domain/session-state';
import type { TimelineEvent } from '../domain/timeline';
import { ATTACHMENT_COLUMNS, SESSION_COLUMNS, type AttachmentRow, type SessionRow } from './session.row';

/**
 * Hand-written SQL over the training schema (the hot path records ~1,000 events/s). Every statement
 * filters by tenant, so no caller can reach another tenant's session.
 */
export type Db = Pick<EntityManager, 'query'>;

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.query(
    `INSERT INTO training.sessions (id, tenant_id, trainer_id, persona_name, base_ref, base_digest, base_prompt,
       model, examples, state, last_sequence, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11)`,
    [
      row.id,
      row.tenantId,
      row.trainerId,
      row.personaName,
      row.baseRef,
      row.baseDigest,
      row.basePrompt,
      JSON.stringify(row.model),
      JSON.stringify(row.examples),
      row.lastSequence,
      row.startedAt,
    ],
  );
}

export async function findSession(db: Db, tenantId: string, id: string): Promise<SessionRow | undefined> {
  const rows = await db.query<SessionRow[]>(
    `SELECT ${SESSION_COLUMNS} FROM training.sessions WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0];
}

/**
 * Takes the next `count` sequence numbers of an open session under its row lock (one statement: lock,
 * check, increment), so concurrent writers of one session get strictly ordered, gap-free numbers.
 * Undefined when the session is unknown, another tenant's, not open, or full.
 */
export async function takeSequences(
  db: Db,
  tenantId: string,
  id: string,
  count: number,
  maxEvents: number,
  attachments = 0,
): Promise<SessionRow | undefined> {
  const rows = await db.query<[SessionRow[], number]>(
    `UPDATE training.sessions
        SET last_sequence = last_sequence + $3, attachment_count = attachment_count + $5
      WHERE id = $1 AND tenant_id = $2 AND state = 'open' AND last_sequence + $3 <= $4
      RETURNING ${SESSION_COLUMNS}`,
    [id, tenantId, count, maxEvents, attachments],
  );
  return rows[0][0];
}

/** The session and, when it is in that session, one of its events (type and role), in one query. */
export async function sessionWithEvent(
  db: Db,
  tenantId: string,
  id: string,
  eventId: string,
): Promise<{ session: SessionRow; event?: { type: string; role?: string } } | undefined> {
  const rows = await db.query<(SessionRow & { event: { type: string; role: string | null } | null })[]>(
    `SELECT ${SESSION_COLUMNS},
       (SELECT json_build_object('type', e.type, 'role', e.role) FROM training.events e
         WHERE e.id = $3 AND e.session_id = $1 AND e.tenant_id = $2) AS event
       FROM training.sessions WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId, eventId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { event, ...session } = row;
  return event
    ? { session, event: { type: event.type, ...(event.role ? { role: event.role } : {}) } }
    : { session };
}

/** open|closing → closing, under the row lock; undefined when unknown or already closed. */
export async function markClosing(
  db: Db,
  tenantId: string,
  id: string,
  now: Date,
): Promise<SessionRow | undefined> {
  const rows = await db.query<[SessionRow[], number]>(
    `UPDATE training.sessions SET state = 'closing', closing_at = COALESCE(closing_at, $3)
      WHERE id = $1 AND tenant_id = $2 AND state IN ('open', 'closing')
      RETURNING ${SESSION_COLUMNS}`,
    [id, tenantId, now],
  );
  return rows[0][0];
}

export interface ClosedFacts {
  closedAt: Date;
  closedBy: string;
  reason: string;
  archiveKey: string;
  archiveSha256: string;
  archiveSize: number;
}

/** closing → closed with the archive, taking the closing event's sequence; undefined if not closing. */
export async function markClosed(
  db: Db,
  tenantId: string,
  id: string,
  facts: ClosedFacts,
): Promise<SessionRow | undefined> {
  const rows = await db.query<[SessionRow[], number]>(
    `UPDATE training.sessions
        SET state = 'closed', last_sequence = last_sequence + 1, closed_at = $3, closed_by = $4, close_reason = $5,
            archive_key = $6, archive_sha256 = $7, archive_size = $8
      WHERE id = $1 AND tenant_id = $2 AND state = 'closing'
      RETURNING ${SESSION_COLUMNS}`,
    [
      id,
      tenantId,
      facts.closedAt,
      facts.closedBy,
      facts.reason,
      facts.archiveKey,
      facts.archiveSha256,
      facts.archiveSize,
    ],
  );
  return rows[0][0];
}

export interface EventRow {
  id: string;
  sessionId: string;
  tenantId: string;
  sequence: number;
  type: string;
  role?: string;
  targetEventId?: string;
  occurredAt: string;
  envelope: string;
}

/** The INSERT of timeline rows, to run beside the outbox insert in one statement. */
export function insertEventsStatement(rows: EventRow[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row, i) => {
    params.push(row.id, row.sessionId, row.tenantId, row.sequence, row.type, row.role ?? null);
    params.push(row.targetEventId ?? null, row.occurredAt, row.envelope);
    const at = i * 9;
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}, $${at + 8}, $${at + 9})`;
  });
  return {
    sql: `INSERT INTO training.events (id, session_id, tenant_id, sequence, type, role, target_event_id, occurred_at, envelope)
          VALUES ${tuples.join(', ')}`,
    params,
  };
}

/**
 * The session and its agent's memory: the newest turns (oldest first, each agent turn with the trainer's
 * latest correction), kept on the session row by the statement that records them (record-at-once.ts).
 */
export async function sessionWithMemory(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ session: SessionRow; turns: RecordedTurn[] } | undefined> {
  const rows = await db.query<(SessionRow & { memory: RecordedTurn[] })[]>(
    `SELECT ${SESSION_COLUMNS}, memory FROM training.sessions WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { memory, ...session } = row;
  return { session, turns: memory };
}

/** Events with sequence > `after`, in order, at most `limit`. */
export async function timelinePage(
  db: Db,
  tenantId: string,
  sessionId: string,
  after: number,
  limit: number,
): Promise<TimelineEvent[]> {
  const rows = await db.query<{ sequence: number; envelope: Record<string, unknown> }[]>(
    `SELECT sequence, envelope FROM training.events
      WHERE session_id = $1 AND tenant_id = $2 AND sequence > $3 ORDER BY sequence LIMIT $4`,
    [sessionId, tenantId, after, limit],
  );
  return rows.map(({ sequence, envelope }) => ({ sequence, ...envelope }) as TimelineEvent);
}

export interface SessionFilter {
  personaName?: string;
  trainerId?: string;
  state?: SessionState;
  /** Sessions with an id below this one (ids are UUIDv7: newest first). */
  before?: string;
  limit: number;
}

export async function listSessions(db: Db, tenantId: string, filter: SessionFilter): Promise<SessionRow[]> {
  const where = ['tenant_id = $1'];
  const values: unknown[] = [tenantId];
  const add = (sql: string, value: unknown): void => {
    values.push(value);
    where.push(`${sql} $${values.length}`);
  };
  if (filter.personaName) add('persona_name =', filter.personaName);
  if (filter.trainerId) add('trainer_id =', filter.trainerId);
  if (filter.state) add('state =', filter.state);
  if (filter.before) add('id <', filter.before);
  values.push(filter.limit);
  return await db.query<SessionRow[]>(
    `SELECT ${SESSION_COLUMNS} FROM training.sessions WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${values.length}`,
    values,
  );
}

export async function insertAttachment(db: Db, row: AttachmentRow): Promise<void> {
  await db.query(
    `INSERT INTO training.attachments (id, session_id, tenant_id, event_id, file_name, media_type, size_bytes, sha256,
       object_key, uploaded_by, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      row.id,
      row.sessionId,
      row.tenantId,
      row.eventId,
      row.fileName,
      row.mediaType,
      row.sizeBytes,
      row.sha256,
      row.objectKey,
      row.uploadedBy,
      row.uploadedAt,
    ],
  );
}

export async function sessionAttachments(
  db: Db,
  tenantId: string,
  sessionId: string,
): Promise<AttachmentRow[]> {
  return await db.query<AttachmentRow[]>(
    `SELECT ${ATTACHMENT_COLUMNS} FROM training.attachments WHERE session_id = $1 AND tenant_id = $2 ORDER BY id`,
    [sessionId, tenantId],
  );
}

export async function findAttachment(
  db: Db,
  tenantId: string,
  sessionId: string,
  id: string,
): Promise<AttachmentRow | undefined> {
  const rows = await db.query<AttachmentRow[]>(
    `SELECT ${ATTACHMENT_COLUMNS} FROM training.attachments WHERE id = $1 AND session_id = $2 AND tenant_id = $3`,
    [id, sessionId, tenantId],
  );
  return rows[0];
}
