/**
 * A session's life: `open` (events may be added) → `closing` (the archive is being written; nothing may
 * be added, close may be retried) → `closed` (archived; read-only forever).
 */
export type SessionState = 'open' | 'closing' | 'closed';

export const SESSION_STATES: readonly SessionState[] = ['open', 'closing', 'closed'];

export type Refusal = { ok: false; refusal: 'state' | 'input' | 'limit'; reason: string };
export type Outcome<T> = { ok: true; value: T } | Refusal;

export const allow = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const refuse = (refusal: Refusal['refusal'], reason: string): Refusal => ({
  ok: false,
  refusal,
  reason,
});

/** Whether an event may be added to a session in `state`. */
export function canAdd(sessionId: string, state: SessionState): Outcome<void> {
  switch (state) {
    case 'open':
      return allow(undefined);
    case 'closing':
      return refuse('state', `session ${sessionId} is being closed; nothing can be added to it`);
    case 'closed':
      return refuse('state', `session ${sessionId} is closed; nothing can be added to it`);
  }
}

/** Whether close may start: from open, or again from closing (a close that failed half-way). */
export function canClose(sessionId: string, state: SessionState): Outcome<void> {
  if (state === 'closed') return refuse('state', `session ${sessionId} is already closed`);
  return allow(undefined);
}
