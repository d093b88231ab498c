import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@personae/contracts';
import { Coalescer } from '@personae/messaging';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { SessionClosedEvent } from '../domain/session-event';
import {
  PoisonEventError,
  sessionIdOf,
  toSessionEvent,
  type TrainingTopic,
} from '../events/session-event.mapper';
import { preparedDb } from '../store/prepared-db';
import { RunsStore } from '../store/runs.store';
import { sessionEventsStore, type StoredEvent } from '../store/session-events.store';
import { SYNTHESIS_SCHEMA } from '../store/synthesis-schema';
import { RunSynthesis } from './run-synthesis.use-case';

/**
 * Stores training events in their sessions' timelines, a batch at a time (exactly once per event id: it
 * is the row's key, so a redelivered batch stores and counts nothing again); a `closed` event opens the
 * session's run. Then, for each session the batch completed, the run starts. Events that cannot belong
 * to a session (no session id, another tenant's session) are skipped and reported by a PoisonEventError
 * once the others are stored: the messaging layer retries the batch (a no-op for the stored ones), then
 * hands its events over one at a time and dead-letters only the poison one, with that reason.
 */
/** What storing one batch found: its events refused as another tenant's, the sessions it completed. */
interface Stored {
  foreignEventIds: string[];
  completedSessions: string[];
}

/** Events stored by one statement at most (the batches of every partition that arrived together). */
const MAX_EVENTS_PER_STATEMENT = 2000;

@Injectable()
export class IngestTrainingEvent {
  /** Batches are stored outside a transaction: one prepared statement each. */
  private readonly db: Pick<EntityManager, 'query'>;
  /**
   * The consumer hands each partition's batch over on its own, several at once after every relay
   * append (five topics, eight partitions): they are stored together, one statement for all.
   */
  private readonly batches = new Coalescer<StoredEvent[], Stored>(
    (batches) => this.storeTogether(batches),
    MAX_EVENTS_PER_STATEMENT,
    (batch) => batch.length,
  );

  constructor(
    @InjectDataSource(SYNTHESIS_SCHEMA) private readonly dataSource: DataSource,
    private readonly runner: RunSynthesis,
  ) {
    this.db = preparedDb(dataSource);
  }

  /** One event (a redelivery, a test): the same path as a batch of one. */
  execute(event: EventEnvelope<TrainingTopic>): Promise<void> {
    return this.executeMany([event]);
  }

  /** A batch of one topic partition, in offset order. */
  async executeMany(events: readonly EventEnvelope<TrainingTopic>[]): Promise<void> {
    const poison: string[] = [];
    const runnable = new Set<string>();
    let pending: StoredEvent[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const stored = await this.batches.submit(pending);
      pending = [];
      for (const id of stored.foreignEventIds) poison.push(foreignTenant(events, id));
      for (const sessionId of stored.completedSessions) runnable.add(sessionId);
    };
    for (const event of events) {
      let item: StoredEvent;
      try {
        item = { tenantId: event.tenantId, sessionId: sessionIdOf(event), event: toSessionEvent(event) };
      } catch (error) {
        if (!(error instanceof PoisonEventError)) throw error;
        poison.push(error.message);
        continue;
      }
      if (item.event.kind !== 'closed') {
        pending.push(item);
        continue;
      }
      // A closed event opens the run with what is stored so far: the events before it go first.
      await flush();
      if (await this.close(event, item.sessionId, item.event)) runnable.add(item.sessionId);
      else poison.push(foreignTenant(events, event.id));
    }
    await flush();
    for (const sessionId of runnable) await this.runner.runIfReady(sessionId);
    if (poison.length > 0) throw new PoisonEventError(poison.join('; '));
  }

  /** One statement for several batches; each learns what concerns its own events. */
  private async storeTogether(batches: StoredEvent[][]): Promise<Stored[]> {
    const stored = await sessionEventsStore.recordMany(this.db, batches.flat());
    const foreign = new Set(stored.foreignEventIds);
    const completed = new Set(stored.completedSessions);
    return batches.map((batch) => {
      const mine: Stored = { foreignEventIds: [], completedSessions: [] };
      for (const { event, sessionId } of batch) {
        if (foreign.has(event.id)) mine.foreignEventIds.push(event.id);
        // A completed session starts its run once, from the first batch that had its events.
        if (completed.delete(sessionId)) mine.completedSessions.push(sessionId);
      }
      return mine;
    });
  }

  /** Stores `closed` and opens the session's run, together; false when the session is another tenant's. */
  private close(event: EventEnvelope, sessionId: string, closed: SessionClosedEvent): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const stored = await sessionEventsStore.recordMany(manager, [
        { tenantId: event.tenantId, sessionId, event: closed },
      ]);
      if (stored.foreignEventIds.length > 0) return false;
      await RunsStore.open(manager, {
        sessionId,
        tenantId: event.tenantId,
        trainerId: closed.trainerId || event.actor.id,
        closedEventId: event.id,
        closedSequence: closed.sequence,
        eventCount: closed.eventCount,
        correlationId: event.correlationId,
      });
      return true;
    });
  }
}

function foreignTenant(events: readonly EventEnvelope[], eventId: string): string {
  const event = events.find((e) => e.id === eventId);
  const sessionId = event ? event.sessionId || event.key : '?';
  return `${event?.type ?? 'event'} ${eventId} claims session ${sessionId} of another tenant`;
}
