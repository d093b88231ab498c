import { parsePersonaRef } from './persona-ref';

/** What GET /v1/audit/entries filters by; every field optional, all of them ANDed. */
export interface EntryFilter {
  personaName?: string;
  /** Set when the filter named one version (`name.vN`). */
  personaVersion?: number;
  sessionId?: string;
  actorId?: string;
  /** An exact event type (`training.conversation.turn`) … */
  type?: string;
  /** … or a whole topic (`training.conversation`). */
  topic?: string;
  decision?: 'allow' | 'deny' | 'require_approval';
  override?: boolean;
  correlationId?: string;
  /** Recorded (by the ledger's clock, never decreasing along the chain) at or after / before. */
  fromMs?: number;
  toMs?: number;
  /** Exclusive: entries after this position (in `time` order: after this time and position). */
  afterPosition?: number;
  afterOccurredMs?: number;
  /** Ledger order (default) or occurrence time, ties by position: a session's timeline. */
  order: 'position' | 'time';
  limit: number;
}

export interface RawEntryQuery {
  persona?: string;
  session?: string;
  actor?: string;
  type?: string;
  decision?: string;
  override?: string;
  correlation?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;
/** A time window wider than this would scan a tenant's history page by page anyway: ask for less. */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

const bad = (field: string, reason: string): Parsed<never> => ({ ok: false, field, reason });

/** Topic names of the ledger; a `type` filter must start with one of them. */
export function parseEntryFilter(
  raw: RawEntryQuery,
  knownTopics: readonly string[],
  order: EntryFilter['order'] = 'position',
): Parsed<EntryFilter> {
  const filter: EntryFilter = { limit: DEFAULT_PAGE_SIZE, order };
  if (raw.persona !== undefined) {
    const ref = parsePersonaRef(raw.persona);
    if (!ref || ref.channel !== null)
      return bad('persona', 'must be a persona name (any version) or name.vN (one version)');
    filter.personaName = ref.name;
    if (ref.version !== null) filter.personaVersion = ref.version;
  }
  if (raw.type !== undefined) {
    if (knownTopics.includes(raw.type)) filter.topic = raw.type;
    else if (
      knownTopics.some((topic) => raw.type!.startsWith(`${topic}.`)) &&
      /^[a-z.]+[A-Za-z]+$/.test(raw.type)
    )
      filter.type = raw.type;
    else return bad('type', 'must be a topic (training.session) or an event type (training.session.started)');
  }
  if (raw.decision !== undefined) {
    if (raw.decision !== 'allow' && raw.decision !== 'deny' && raw.decision !== 'require_approval')
      return bad('decision', 'must be allow, deny or require_approval');
    filter.decision = raw.decision;
  }
  if (raw.override !== undefined) {
    if (raw.override !== 'true' && raw.override !== 'false') return bad('override', 'must be true or false');
    filter.override = raw.override === 'true';
  }
  for (const [field, value, key] of [
    ['session', raw.session, 'sessionId'],
    ['actor', raw.actor, 'actorId'],
    ['correlation', raw.correlation, 'correlationId'],
  ] as const) {
    if (value === undefined) continue;
    if (value.length === 0 || value.length > 200) return bad(field, 'must be 1 to 200 characters');
    filter[key] = value;
  }
  for (const [field, value, key] of [
    ['from', raw.from, 'fromMs'],
    ['to', raw.to, 'toMs'],
  ] as const) {
    if (value === undefined) continue;
    const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : NaN;
    if (!Number.isFinite(ms)) return bad(field, 'must be an ISO 8601 date or timestamp with a zone');
    filter[key] = ms;
  }
  if (filter.fromMs !== undefined && filter.toMs !== undefined) {
    if (filter.toMs < filter.fromMs) return bad('to', 'must not be before from');
    if (filter.toMs - filter.fromMs > MAX_RANGE_DAYS * DAY_MS)
      return bad('to', `the time range is limited to ${MAX_RANGE_DAYS} days`);
  }
  if (raw.limit !== undefined) {
    if (!/^\d{1,4}$/.test(raw.limit) || Number(raw.limit) < 1 || Number(raw.limit) > MAX_PAGE_SIZE)
      return bad('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    filter.limit = Number(raw.limit);
  }
  if (raw.cursor !== undefined) {
    const cursor = decodeCursor(raw.cursor);
    if (cursor === undefined || (cursor.occurredMs !== undefined) !== (order === 'time'))
      return bad('cursor', 'is not a cursor this API returned');
    filter.afterPosition = cursor.position;
    if (cursor.occurredMs !== undefined) filter.afterOccurredMs = cursor.occurredMs;
  }
  return { ok: true, value: filter };
}

/**
 * Cursors are opaque to clients: base64url of `p:<last position>` (or `t:<time ms>:<position>` in
 * time order). They need no secret: a forged one only moves within the caller's own tenant, which
 * every query is confined to.
 */
export interface Cursor {
  position: number;
  occurredMs?: number;
}

export function encodeCursor(cursor: Cursor): string {
  const text =
    cursor.occurredMs === undefined ? `p:${cursor.position}` : `t:${cursor.occurredMs}:${cursor.position}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(?:p|t:(0|[1-9]\d{0,15})):(0|[1-9]\d{0,15})$/.exec(text);
  if (!match || !(text.startsWith('p:') || text.startsWith('t:'))) return undefined;
  const position = Number(match[2]);
  const occurredMs = match[1] === undefined ? undefined : Number(match[1]);
  if (!Number.isSafeInteger(position) || (occurredMs !== undefined && !Number.isSafeInteger(occurredMs)))
    return undefined;
  return occurredMs === undefined ? { position } : { position, occurredMs };
}
