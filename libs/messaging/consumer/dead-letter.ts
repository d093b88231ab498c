import { newEvent, type EventEnvelope } from '@personae/contracts';
import type { DeliveredRecord } from '../event-transport.port';

const MAX_ERROR_LENGTH = 4000;

/** The `deadletter` event for a record a group gave up on: the error, the attempts and the original text. */
export function deadLetterFor(
  record: DeliveredRecord,
  group: string,
  error: unknown,
  attempts: number,
  parsed?: EventEnvelope,
): EventEnvelope<'deadletter'> {
  const originalEventId = parsed?.id ?? record.eventId;
  return newEvent({
    topic: 'deadletter',
    key: record.key || originalEventId || `${record.topic}/${record.partition}/${record.offset}`,
    tenantId: parsed?.tenantId || record.headers['tenant-id'] || 'unknown',
    actor: { kind: 'service', id: group },
    correlationId: parsed?.correlationId || record.headers['correlation-id'] || undefined,
    causationId: originalEventId || undefined,
    payload: {
      event: {
        case: 'deadLettered',
        value: {
          originalTopic: record.topic,
          originalEventId,
          consumerGroup: group,
          error: describeError(error),
          attempts,
          original: record.value,
        },
      },
    },
  });
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
