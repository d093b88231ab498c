import { Injectable, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { newEvent, type EventEnvelope, type NewEvent, type Topic } from '@personae/contracts';
import { CreateOutbox1732190000000, EventPublisher, MessagingModule } from '@personae/messaging';
import { DatabaseModule, InjectDataSource } from '@personae/persistence';

export const PRODUCER_SCHEMA = 'audit_e2e_producer';

/**
 * Publishes events the way the training, synthesis, governance and runtime services do (built in
 * parallel, not yet in this branch): `newEvent` + EventPublisher inside a transaction of their own
 * schema, relayed by the real outbox to the real event log. The lead re-points the test at the
 * real services at integration.
 */
@Injectable()
export class TestEventProducer {
  constructor(
    @InjectDataSource(PRODUCER_SCHEMA) private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
  ) {}

  async publish(events: NewEvent<Topic>[]): Promise<EventEnvelope[]> {
    return this.dataSource.transaction(async (manager) => {
      const published: EventEnvelope[] = [];
      for (const event of events) {
        const envelope = newEvent(event);
        await this.publisher.publishEnvelope(manager, envelope);
        published.push(envelope);
      }
      return published;
    });
  }
}

@Module({
  imports: [
    DatabaseModule.forService({ schema: PRODUCER_SCHEMA, migrations: [CreateOutbox1732190000000] }),
    MessagingModule.forService({ schema: PRODUCER_SCHEMA }),
  ],
  providers: [TestEventProducer],
  exports: [TestEventProducer],
})
export class TestEventProducerModule {}
