import { Injectable } from '@nestjs/common';
import { newEvent, type EventEnvelope, type NewEvent, type Topic } from '@personae/contracts';
import type { EntityManager } from 'typeorm';
import { toOutgoingRecord } from '../event-record';
import { outboxChannel } from './outbox-channel';

/**
 * Publishes through the transactional outbox: the event is written to the outbox of the
 * manager's schema in the caller's transaction, so it exists if and only if the state
 * change commits. The schema's relay then appends it to the bus.
 */
@Injectable()
export class EventPublisher {
  /** `publish(manager, { topic: 'training.session', payload: ... })`: the payload must fit the topic. */
  async publish<T extends Topic>(manager: EntityManager, event: NewEvent<T>): Promise<EventEnvelope<T>> {
    const envelope = newEvent(event);
    await this.publishEnvelope(manager, envelope);
    return envelope;
  }

  /** For an envelope already built with `newEvent` (e.g. to know its id before publishing). */
  async publishEnvelope(manager: EntityManager, envelope: EventEnvelope): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'publish inside a transaction (dataSource.transaction(manager => ...)), so the event commits with the state change',
      );
    }
    const schema = (manager.connection.options as { schema?: string }).schema;
    if (!schema) throw new Error('the outbox lives in a service schema; this data source has none');
    const record = toOutgoingRecord(envelope);
    // pg_notify in a transaction is delivered at commit, and not at all on rollback.
    await manager.query(
      `WITH written AS (
         INSERT INTO "${schema}".outbox (event_id, topic, key, headers, value) VALUES ($1, $2, $3, $4, $5) RETURNING 1)
       SELECT pg_notify($6, '') FROM written`,
      [
        record.eventId,
        record.topic,
        record.key,
        JSON.stringify(record.headers),
        record.value,
        outboxChannel(schema),
      ],
    );
  }
}
