import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import {
  PoisonEventError,
  sessionIdOf,
  toSessionEvent,
  type TrainingTopic,
} from '../events/session-event.mapper';
import { RunsStore } from '../store/runs.store';
import { sessionEventsStore } from '../store/session-events.store';
import { SYNTHESIS_SCHEMA } from '../store/synthesis-schema';
import { RunSynthesis } from './run-synthesis.use-case';

/**
 * Stores one training event in the session's timeline (exactly once per event id: it is the row's
 * key); a `closed` event opens the session's run. Then, whichever event
 * completes the session, the run starts. An event that cannot belong to a session throws
 * PoisonEventError: the messaging layer retries, then dead-letters it with that reason.
 */
@Injectable()
export class IngestTrainingEvent {
  constructor(
    @InjectDataSource(SYNTHESIS_SCHEMA) private readonly dataSource: DataSource,
    private readonly runner: RunSynthesis,
  ) {}

  async execute(event: EventEnvelope<TrainingTopic>): Promise<void> {
    const sessionId = sessionIdOf(event);
    const domain = toSessionEvent(event);
    // The event id is the stored row's primary key, so a redelivery cannot apply it twice: one
    // statement per event (a quarter of applyOnce's round trips) with the same exactly-once effect.
    const stored =
      domain.kind === 'closed'
        ? await this.dataSource.transaction(async (manager) => {
            const result = await sessionEventsStore.record(manager, event.tenantId, sessionId, domain);
            if (!result.foreignTenant)
              await RunsStore.open(manager, {
                sessionId,
                tenantId: event.tenantId,
                trainerId: domain.trainerId || event.actor.id,
                closedEventId: event.id,
                closedSequence: domain.sequence,
                eventCount: domain.eventCount,
                correlationId: event.correlationId,
              });
            return result;
          })
        : await sessionEventsStore.record(this.dataSource.manager, event.tenantId, sessionId, domain);
    if (stored.foreignTenant)
      throw new PoisonEventError(`${event.type} ${event.id} claims session ${sessionId} of another tenant`);
    // Only the event that completes a closed session (or `closed` itself) starts the run: the others
    // stop here. A count missed by a race with `closed` is caught by the worker's exact check.
    const runOpen = domain.kind === 'closed' || stored.complete;
    if (runOpen) await this.runner.runIfReady(sessionId);
  }
}
