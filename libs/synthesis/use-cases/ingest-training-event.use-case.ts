import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@personae/contracts';
import type { EventContext } from '@personae/messaging';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { PoisonEventError, sessionIdOf, toSessionEvent, type TrainingTopic } from '../events/session-event.mapper';
import { RunsStore } from '../store/runs.store';
import { sessionEventsStore } from '../store/session-events.store';
import { SYNTHESIS_SCHEMA } from '../store/synthesis-schema';
import { RunSynthesis } from './run-synthesis.use-case';

/**
 * Stores one training event in the session's timeline (exactly once per event id, with the
 * consumer group's processed mark); a `closed` event opens the session's run. Then, whichever event
 * completes the session, the run starts. An event that cannot belong to a session throws
 * PoisonEventError: the messaging layer retries, then dead-letters it with that reason.
 */
@Injectable()
export class IngestTrainingEvent {
  constructor(
    @InjectDataSource(SYNTHESIS_SCHEMA) private readonly dataSource: DataSource,
    private readonly runner: RunSynthesis,
  ) {}

  async execute(event: EventEnvelope<TrainingTopic>, context: EventContext): Promise<void> {
    const sessionId = sessionIdOf(event);
    const domain = toSessionEvent(event);
    await context.applyOnce(this.dataSource, async (manager) => {
      const tenant = await sessionEventsStore.tenantOf(manager, sessionId);
      if (tenant !== undefined && tenant !== event.tenantId)
        throw new PoisonEventError(`${event.type} ${event.id} claims session ${sessionId} of another tenant`);
      await sessionEventsStore.record(manager, event.tenantId, sessionId, domain);
      if (domain.kind === 'closed')
        await RunsStore.open(manager, {
          sessionId,
          tenantId: event.tenantId,
          trainerId: domain.trainerId || event.actor.id,
          closedEventId: event.id,
          closedSequence: domain.sequence,
          eventCount: domain.eventCount,
          correlationId: event.correlationId,
        });
    });
    await this.runner.runIfReady(sessionId);
  }
}
