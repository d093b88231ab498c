/**
 * The query columns of audit.ledger_entries: expressions over `doc` (the entry as jsonb, generated
 * by the database from the hashed text). Indexes and queries use these exact texts, so the planner
 * matches them to the expression indexes.
 */
export const COLUMN = {
  eventId: `(doc->>'eventId')`,
  type: `(doc->>'type')`,
  topic: `(doc->>'topic')`,
  occurredMs: `((doc->>'occurredMs')::bigint)`,
  recordedMs: `((doc->>'recordedMs')::bigint)`,
  correlationId: `(doc->>'correlationId')`,
  actorId: `(doc->'index'->>'actorId')`,
  personaName: `(doc->'index'->>'personaName')`,
  personaVersion: `((doc->'index'->>'personaVersion')::integer)`,
  sessionId: `(doc->'index'->>'sessionId')`,
  decision: `(doc->'index'->>'decision')`,
  override: `((doc->'index'->>'override')::boolean)`,
  refs: `(doc->'index'->'refs')`,
} as const;
