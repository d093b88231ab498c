import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import {
  eventCase,
  newEvent,
  serializeEvent,
  type EventEnvelope,
  type PayloadInit,
} from '@personae/contracts';
import { EventPublisher, headersOf, OutboxWake } from '@personae/messaging';
import { currentCorrelationId } from '@personae/service-kit';
import type { EntityManager } from 'typeorm';
import type { GuidanceItem } from '../domain/draft-prompt';
import { TRAINING_LIMITS } from '../domain/limits';
import { PreparedDb } from '../store/prepared-db';
import { recordAtOnce } from '../store/record-at-once';
import type { TrainingTopic } from '../domain/timeline';
import { insertEventsStatement, type EventRow } from '../store/session.store';
import type { SessionRow } from '../store/session.row';
import { RecentEvents } from './recent-events';

/** One event to record: its payload is built once its sequence number is known. */
export type NewTrainingEvent = {
  [T in TrainingTopic]: {
    topic: T;
    payload: (sequence: number) => PayloadInit<T>;
    /** Turns: trainer or agent (indexed), and what the agent's memory keeps of them. */
    role?: 'trainer' | 'agent';
    content?: string;
    /** Annotations and policy decisions: the event they concern. */
    targetEventId?: string;
  };
}[TrainingTopic];

export interface RecordedEvent {
  id: string;
  sequence: number;
  type: string;
}

/**
 * Writes events into the session's timeline and the outbox together: in one statement of their own
 * (`recordAtOnce`, the hot path) or in the caller's transaction (`record`). Every envelope is tagged alike: key and session id = the session (one partition, so
 * order holds on the bus), tenant, the trainer as actor, the base persona ref (or the new persona's name).
 */
@Injectable()
export class TrainingRecorder {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly db: PreparedDb,
    private readonly outboxWake: OutboxWake,
    private readonly recent: RecentEvents,
  ) {}

  /**
   * The hot path: records `events` in one statement of its own (lock, number, timeline, outbox), no
   * explicit transaction. `session` only tags the envelopes; the statement re-checks it is open.
   * Undefined when it is not (unknown, closing, closed or full): nothing was written.
   */
  async recordAtOnce(
    principal: Principal,
    session: Pick<SessionRow, 'id' | 'tenantId' | 'baseRef' | 'personaName'>,
    events: NewTrainingEvent[],
    options: { guidance?: GuidanceItem; correction?: { eventId: string; correctedAnswer: string } } = {},
  ): Promise<RecordedEvent[] | undefined> {
    const envelopes = this.envelopes(principal, session, events, () => 0);
    const turns = events.flatMap((event, i) =>
      event.role ? [{ eventId: envelopes[i]!.id, role: event.role, content: event.content ?? '' }] : [],
    );
    const base = await recordAtOnce(this.db, {
      tenantId: session.tenantId,
      sessionId: session.id,
      maxEvents: TRAINING_LIMITS.eventsPerSession,
      guidance: options.guidance,
      guidanceLimit: TRAINING_LIMITS.guidanceItems,
      turns,
      correction: options.correction,
      memoryLimit: TRAINING_LIMITS.historyTurns,
      events: envelopes.map((envelope, i) => ({
        ord: i + 1,
        id: envelope.id,
        type: envelope.type,
        role: events[i]!.role,
        targetEventId: events[i]!.targetEventId,
        occurredAt: envelope.occurredAt,
        topic: envelope.topic,
        key: envelope.key,
        headers: { ...headersOf(envelope) },
        envelope: serializeEvent(envelope),
        sequencePath: ['payload', String(eventCase(envelope)), 'sequence'],
      })),
    });
    if (base === undefined) return undefined;
    this.outboxWake.soon();
    this.recent.remember(
      session,
      envelopes.map((envelope, i) => ({ id: envelope.id, type: envelope.type, role: events[i]!.role })),
    );
    return envelopes.map((envelope, i) => ({ id: envelope.id, sequence: base + i + 1, type: envelope.type }));
  }

  private envelopes(
    principal: Principal,
    session: Pick<SessionRow, 'id' | 'tenantId' | 'baseRef' | 'personaName'>,
    events: NewTrainingEvent[],
    sequenceOf: (index: number) => number,
  ): EventEnvelope[] {
    const now = new Date();
    const correlationId = currentCorrelationId();
    return events.map((event, i) =>
      newEvent(
        {
          topic: event.topic,
          key: session.id,
          tenantId: session.tenantId,
          actor: { kind: 'trainer', id: principal.subject },
          personaRef: session.baseRef ?? session.personaName,
          sessionId: session.id,
          correlationId,
          payload: (event.payload as (sequence: number) => never)(sequenceOf(i)),
        },
        now,
      ),
    );
  }

  /** Records `events` in the caller's transaction, numbered from `firstSequence` (taken under the lock). */
  async record(
    manager: EntityManager,
    principal: Principal,
    session: SessionRow,
    firstSequence: number,
    events: NewTrainingEvent[],
  ): Promise<RecordedEvent[]> {
    const envelopes = this.envelopes(principal, session, events, (i) => firstSequence + i);
    const rows: EventRow[] = envelopes.map((envelope, i) => ({
      id: envelope.id,
      sessionId: session.id,
      tenantId: session.tenantId,
      sequence: firstSequence + i,
      type: envelope.type,
      role: events[i]!.role,
      targetEventId: events[i]!.targetEventId,
      occurredAt: envelope.occurredAt,
      envelope: serializeEvent(envelope),
    }));
    // Timeline rows and outbox rows in one statement: one round trip for the whole record.
    await this.publisher.publishWith(manager, envelopes, insertEventsStatement(rows));
    return rows.map((row) => ({ id: row.id, sequence: row.sequence, type: row.type }));
  }
}
