import { canonicalize } from '@personae/crypto';
import { indexTerms, type IndexTerms } from './index-terms';

/**
 * One ledger entry: what the hash chain covers, byte for byte as its RFC 8785 canonical JSON.
 * It holds the whole envelope, the payload (PII fields replaced by commitments, see pii-fields.ts),
 * the entry's position in its tenant's chain and the index terms queries use.
 */
export const ENTRY_FORMAT = 'personae.audit.entry/v1';

export interface LedgerEntry {
  format: typeof ENTRY_FORMAT;
  tenantId: string;
  position: number;
  eventId: string;
  topic: string;
  type: string;
  occurredAt: string;
  /** occurredAt in epoch milliseconds: the time-range column, derivable without a time zone. */
  occurredMs: number;
  /** When the ledger appended it, by its own clock: never decreasing along a chain. */
  recordedAt: string;
  recordedMs: number;
  actor: { kind: string; id: string };
  personaRef: string;
  sessionId: string;
  correlationId: string;
  causationId: string;
  key: string;
  payload: Record<string, unknown>;
  index: IndexTerms;
}

/** The envelope fields of an event, payload already in proto3 JSON with PII sealed. */
export interface EntryInput {
  tenantId: string;
  eventId: string;
  topic: string;
  type: string;
  occurredAt: string;
  actor: { kind: string; id: string };
  personaRef: string;
  sessionId: string;
  correlationId: string;
  causationId: string;
  key: string;
  payload: Record<string, unknown>;
}

export function buildEntry(input: EntryInput, position: number, recordedAt: Date): LedgerEntry {
  const occurredMs = Date.parse(input.occurredAt);
  return {
    format: ENTRY_FORMAT,
    tenantId: input.tenantId,
    position,
    eventId: input.eventId,
    topic: input.topic,
    type: input.type,
    occurredAt: input.occurredAt,
    occurredMs: Number.isFinite(occurredMs) ? occurredMs : recordedAt.getTime(),
    recordedAt: recordedAt.toISOString(),
    recordedMs: recordedAt.getTime(),
    actor: input.actor,
    personaRef: input.personaRef,
    sessionId: input.sessionId,
    correlationId: input.correlationId,
    causationId: input.causationId,
    key: input.key,
    payload: input.payload,
    index: indexTerms({
      type: input.type,
      actorId: input.actor.id,
      personaRef: input.personaRef,
      sessionId: input.sessionId,
      payload: input.payload,
    }),
  };
}

/** The exact text hashed and stored (RFC 8785), so a verifier re-canonicalizing the JSON gets the same bytes. */
export function canonicalEntry(entry: LedgerEntry): string {
  return canonicalize(entry);
}

/**
 * Postgres text and jsonb cannot hold NUL, and the stored text must be the hashed text: NUL in any
 * payload string becomes U+FFFD before the entry is built (the only change the ledger makes).
 */
export function withoutNul<T>(value: T): T {
  // Nearly no payload has one: check before copying the whole tree.
  return hasNul(value) ? replaceNul(value) : value;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasNul);
  for (const key in value)
    if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key])) return true;
  return false;
}

function replaceNul<T>(value: T): T {
  if (typeof value === 'string')
    return (value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value) as T;
  if (Array.isArray(value)) return value.map(replaceNul) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaceNul(k), replaceNul(v)])) as T;
  return value;
}
