import { Controller, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ConfigModule, loadConfig } from '@personae/config';
import type { EventEnvelope } from '@personae/contracts';
import { DatabaseModule, InjectDataSource } from '@personae/persistence';
import { ReadinessModule, ReadinessRegistry } from '@personae/service-kit/readiness';
import {
  BatchContext,
  connectEventConsumers,
  CreateOutbox1732190000000,
  EventContext,
  EventPublisher,
  MessagingModule,
  OnEvent,
  OnEvents,
} from '@personae/messaging';
import { databaseUrl, uniqueName, waitFor } from './support';

interface Seen {
  group: string;
  id: string;
  trainer?: string;
  attempt?: number;
}

/** A tiny platform: one service publishing through its outbox, three groups consuming with @OnEvent. */
function buildApp(schema: string, logSchema: string, seen: Seen[]) {
  @Injectable()
  class SessionService {
    constructor(
      @InjectDataSource(schema) private readonly dataSource: DataSource,
      private readonly publisher: EventPublisher,
    ) {}

    start(sessionId: string): Promise<EventEnvelope<'training.session'>> {
      return this.dataSource.transaction((manager) =>
        this.publisher.publish(manager, {
          topic: 'training.session',
          key: sessionId,
          tenantId: 'tenant-nest',
          actor: { kind: 'trainer', id: 'trainer-9' },
          payload: {
            event: { case: 'started', value: { sessionId, trainerId: 'trainer-9', mode: 'TRAINING' } },
          },
        }),
      );
    }

    seal(personaRef: string): Promise<EventEnvelope<'persona.lifecycle'>> {
      return this.dataSource.transaction((manager) =>
        this.publisher.publish(manager, {
          topic: 'persona.lifecycle',
          key: personaRef,
          tenantId: 'tenant-nest',
          actor: { kind: 'signer', id: 'signer-1' },
          payload: { event: { case: 'sealed', value: {} } },
        }),
      );
    }
  }

  @Controller()
  class SynthesisEvents {
    @OnEvent('training.session', { group: 'synthesis-pipeline' })
    onSession(@Payload() event: EventEnvelope<'training.session'>, @Ctx() context: EventContext): void {
      const trainer =
        event.payload.event.case === 'started' ? event.payload.event.value.trainerId : undefined;
      seen.push({ group: context.group, id: event.id, trainer });
    }
  }

  @Controller()
  class AuditEvents {
    @OnEvent('training.session', { group: 'audit-ledger' })
    async onSession(
      @Payload() event: EventEnvelope<'training.session'>,
      @Ctx() context: EventContext,
    ): Promise<void> {
      seen.push({ group: context.group, id: event.id });
    }

    @OnEvent('persona.lifecycle', { group: 'audit-ledger' })
    async onLifecycle(
      @Payload() event: EventEnvelope<'persona.lifecycle'>,
      @Ctx() context: EventContext,
    ): Promise<void> {
      seen.push({ group: `${context.group}:lifecycle`, id: event.id, attempt: context.attempt });
      throw new Error('the ledger refuses this event');
    }
  }

  @Controller()
  class BatchEvents {
    @OnEvents('training.session', { group: 'session-batches', maxBatch: 50 })
    onSessions(
      @Payload() events: EventEnvelope<'training.session'>[],
      @Ctx() context: BatchContext<'training.session'>,
    ): void {
      for (const event of events)
        seen.push({
          group: `${context.group}:${context.records.length}`,
          id: event.id,
          attempt: context.attempt,
        });
    }
  }

  @Controller()
  class DeadLetterEvents {
    @OnEvent('deadletter', { group: 'operations' })
    onDeadLetter(@Payload() event: EventEnvelope<'deadletter'>): void {
      const letter = event.payload.event.value;
      seen.push({
        group: 'operations',
        id: letter?.originalEventId ?? '',
        trainer: `${letter?.consumerGroup}|${letter?.attempts}|${letter?.error}`,
      });
    }
  }

  @Module({
    imports: [
      DatabaseModule.forService({ schema, migrations: [CreateOutbox1732190000000] }),
      MessagingModule.forService({ schema }),
    ],
    controllers: [SynthesisEvents, AuditEvents, BatchEvents, DeadLetterEvents],
    providers: [SessionService],
  })
  class TrainingModule {}

  const config = {
    ...loadConfig({ NODE_ENV: 'test', EVENT_MAX_ATTEMPTS: '2', EVENT_LOG_PARTITIONS: '2' }),
    databaseUrl: databaseUrl(),
  };

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      ReadinessModule,
      MessagingModule.forRoot({ schema: logSchema, retry: { baseDelayMs: 10, maxDelayMs: 40 } }),
      TrainingModule,
    ],
  })
  class AppModule {}

  return { AppModule, SessionService };
}

describe('Nest wiring', () => {
  const seen: Seen[] = [];
  let app: INestApplication;
  let sessions: { start(id: string): Promise<EventEnvelope>; seal(ref: string): Promise<EventEnvelope> };

  beforeAll(async () => {
    const { AppModule, SessionService } = buildApp(uniqueName('nestsvc'), uniqueName('nestlog'), seen);
    app = await NestFactory.create(AppModule, { logger: ['error'] });
    await connectEventConsumers(app);
    sessions = app.get(SessionService);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('delivers a published event to every @OnEvent group, each with its own group context', async () => {
    const event = await sessions.start('session-nest-1');
    await waitFor(
      () => seen.filter((s) => s.id === event.id).length >= 3,
      5000,
      () => JSON.stringify(seen),
    );
    const forEvent = seen.filter((s) => s.id === event.id);
    expect(forEvent).toEqual(
      expect.arrayContaining([
        { group: 'synthesis-pipeline', id: event.id, trainer: 'trainer-9' },
        { group: 'audit-ledger', id: event.id },
        // @OnEvents: an array of events with the batch's context
        { group: 'session-batches:1', id: event.id, attempt: 1 },
      ]),
    );
    expect(forEvent).toHaveLength(3);
    expect(await register.getSingleMetricAsString('personae_events_published_total')).toMatch(
      /topic="training.session"/,
    );
  });

  it('retries a failing handler and dead-letters it with the real error', async () => {
    const event = await sessions.seal('biology_researcher.v1');
    await waitFor(
      () => seen.some((s) => s.group === 'operations' && s.id === event.id),
      5000,
      () => JSON.stringify(seen),
    );
    expect(
      seen.filter((s) => s.group === 'audit-ledger:lifecycle' && s.id === event.id).map((s) => s.attempt),
    ).toEqual([1, 2]);
    const letter = seen.find((s) => s.group === 'operations' && s.id === event.id)!;
    expect(letter.trainer).toBe('audit-ledger|2|Error: the ledger refuses this event');
  });

  it('reports the bus as ready', async () => {
    const readiness = await app.get(ReadinessRegistry).evaluate();
    expect(readiness.checks.bus).toEqual({ ok: true });
  });
});
