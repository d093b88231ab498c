import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { newEvent, serializeEvent, type EventEnvelope, type PayloadInit } from '@personae/contracts';
import { EventPublisher } from '@personae/messaging';
import { currentCorrelationId } from '@personae/service-kit';
import type { EntityManager } from 'typeorm';
import type { TrainingTopic } from '../domain/timeline';
import { insertEventsStatement, type EventRow } from '../store/session.store';
import type { SessionRow } from '../store/session.row';

/** One event to record: its payload is built once its sequence number is known. */
export type NewTrainingEvent = {
  [T in TrainingTopic]: {
    topic: T;
    payload: (sequence: number) => PayloadInit<T>;
    /** Turns: trainer or agent (indexed: the agent's memory reads them). */
    role?: 'trainer' | 'agent';
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
 * Writes events into the session's timeline and the outbox in the caller's transaction, numbered from
 * `firstSequence`. Every envelope is tagged alike: key and session id = the session (one partition, so
 * order holds on the bus), tenant, the trainer as actor, the base persona ref (or the new persona's name).
 */
@Injectable()
export class TrainingRecorder {
  constructor(private readonly publisher: EventPublisher) {}

  async record(
    manager: EntityManager,
    principal: Principal,
    session: SessionRow,
    firstSequence: number,
    events: NewTrainingEvent[],
  ): Promise<RecordedEvent[]> {
    const now = new Date();
    const correlationId = currentCorrelationId();
    const envelopes = events.map((event, i) =>
      newEvent(
        {
          topic: event.topic,
          key: session.id,
          tenantId: session.tenantId,
          actor: { kind: 'trainer', id: principal.subject },
          personaRef: session.baseRef ?? session.personaName,
          sessionId: session.id,
          correlationId,
          payload: (event.payload as (sequence: number) => never)(firstSequence + i),
        } as Parameters<typeof newEvent>[0],
        now,
      ),
    );
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
    await this.publisher.publishWith(manager, envelopes as EventEnvelope[], insertEventsStatement(rows));
    return rows.map((row) => ({ id: row.id, sequence: row.sequence, type: row.type }));
  }
}
