import { Module } from '@nestjs/common';
import type { EventEnvelope } from '@personae/contracts';
import { deserializeEvent } from '@personae/contracts';
import { CreateOutbox1732190000000, EventPublisher, MessagingModule } from '@personae/messaging';
import { DatabaseModule, dataSourceToken } from '@personae/persistence';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Platform } from '../registry/support';

/**
 * Stands in for the training service's outbox until the lead switches these tests to the real
 * service: a schema with an outbox, relayed by the platform like any service's. Events are published
 * the way the training service publishes them: `EventPublisher.publish` inside a transaction.
 */
export const FIXTURE_SCHEMA = 'training_fixture';

@Module({
  imports: [
    DatabaseModule.forService({ schema: FIXTURE_SCHEMA, migrations: [CreateOutbox1732190000000] }),
    MessagingModule.forService({ schema: FIXTURE_SCHEMA }),
  ],
})
export class TrainingOutboxFixtureModule {}

/** Publishes envelopes through the fixture's outbox, in one transaction, in the given order. */
export async function publishTraining(platform: Platform, events: readonly EventEnvelope[]): Promise<void> {
  const dataSource = platform.running.app.get<DataSource>(dataSourceToken(FIXTURE_SCHEMA));
  const publisher = platform.running.app.get(EventPublisher);
  await dataSource.transaction(async (manager) => {
    for (const event of events) await publisher.publishEnvelope(manager, event);
  });
}

/** Events of a topic that reached the log, for the platform's tenant (or any tenant with `anyTenant`). */
export async function topicEvents(
  platform: Platform,
  topic: string,
  tenant: string | undefined = platform.tenant,
): Promise<EventEnvelope[]> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM messaging.events WHERE topic = $1 AND ($2::text IS NULL OR headers->>'tenant-id' = $2)
        ORDER BY partition, "offset"`,
      [topic, tenant ?? null],
    );
    return rows.map((row) => deserializeEvent(row.value));
  } finally {
    await client.end();
  }
}

/** A query on the platform's database (run rows, stored events), for white-box assertions. */
export async function sql<T>(platform: Platform, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}
