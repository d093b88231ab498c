import { Injectable } from '@nestjs/common';
import { BoundedMap } from '@personae/service-kit';
import type { SessionRow } from '../store/session.row';

/** What tags a session's envelopes: fixed when the session starts, never changed after. */
export type SessionTags = Pick<SessionRow, 'id' | 'tenantId' | 'baseRef' | 'personaName'>;

/** A recorded event as an annotation needs it: which session, and what it is. */
export interface RecentEvent {
  session: SessionTags;
  event: { type: string; role?: string };
}

/** Events remembered: the latest this many (an annotation usually follows its event closely). */
const CAPACITY = 20_000;

/**
 * The events this process recorded lately, with their sessions' tags. Everything here is immutable
 * (an event never changes, moves or disappears; a session's tags are fixed at start), so an entry can
 * never be stale on any replica: an annotation of a recent event needs no read before its record,
 * whose statement still checks that the session is open and the tenant's. Anything not here is read.
 */
@Injectable()
export class RecentEvents {
  private readonly events = new BoundedMap<string, RecentEvent>(CAPACITY);

  remember(session: SessionTags, events: readonly { id: string; type: string; role?: string }[]): void {
    const tags: SessionTags = {
      id: session.id,
      tenantId: session.tenantId,
      baseRef: session.baseRef,
      personaName: session.personaName,
    };
    for (const { id, type, role } of events)
      this.events.set(id, { session: tags, event: role ? { type, role } : { type } });
  }

  /** The event, if recorded here lately in that session of that tenant. */
  find(tenantId: string, sessionId: string, eventId: string): RecentEvent | undefined {
    const found = this.events.get(eventId);
    return found && found.session.id === sessionId && found.session.tenantId === tenantId ? found : undefined;
  }
}
