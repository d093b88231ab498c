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
    await this.publishWith(manager, [envelope]);
  }

  /**
   * Envelopes (in order) together with the caller's own write, in one statement: one round trip on a
   * hot path. `write` is a data-modifying statement (INSERT/UPDATE/DELETE, no trailing semicolon) with
   * parameters $1..$n; it runs as a CTE beside the outbox insert, so both happen or neither does.
   */
  async publishWith(
    manager: EntityManager,
    envelopes: readonly EventEnvelope[],
    write?: { sql: string; params: unknown[] },
  ): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'publish inside a transaction (dataSource.transaction(manager => ...)), so the event commits with the state change',
      );
    }
    const schema = (manager.connection.options as { schema?: string }).schema;
    if (!schema) throw new Error('the outbox lives in a service schema; this data source has none');
    if (envelopes.length === 0) throw new Error('nothing to publish');
    const params: unknown[] = [...(write?.params ?? [])];
    const rows = envelopes.map((envelope) => {
      const record = toOutgoingRecord(envelope);
      params.push(record.eventId, record.topic, record.key, JSON.stringify(record.headers), record.value);
      const at = params.length - 5;
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5})`;
    });
    params.push(outboxChannel(schema));
    // Rows are inserted in the order given, so the relay (id order) keeps it; pg_notify in a
    // transaction is delivered at commit, and not at all on rollback.
    await manager.query(
      `WITH ${write ? `caller_write AS (${write.sql}), ` : ''}written AS (
         INSERT INTO "${schema}".outbox (event_id, topic, key, headers, value) VALUES ${rows.join(', ')} RETURNING 1)
       SELECT pg_notify($${params.length}, '') FROM written LIMIT 1`,
      params,
    );
  }
}
