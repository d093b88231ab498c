import { serializeEvent, type EventEnvelope } from '@personae/contracts';
import type { EventHeaders, OutgoingRecord } from './event-transport.port';

/** The one way an envelope becomes a record, whichever transport carries it. */
export function toOutgoingRecord(event: EventEnvelope): OutgoingRecord {
  return {
    topic: event.topic,
    key: event.key,
    eventId: event.id,
    headers: headersOf(event),
    value: serializeEvent(event),
  };
}

export function headersOf(event: EventEnvelope): EventHeaders {
  return {
    id: event.id,
    type: event.type,
    'tenant-id': event.tenantId,
    'correlation-id': event.correlationId,
  };
}

const HEADER_NAMES = ['id', 'type', 'tenant-id', 'correlation-id'] as const;

/** Keeps only the headers we define, as strings; anything else a foreign producer sent is dropped. */
export function pickHeaders(raw: Record<string, unknown> | null | undefined): Partial<EventHeaders> {
  const headers: Partial<EventHeaders> = {};
  if (!raw) return headers;
  for (const name of HEADER_NAMES) {
    const value = raw[name];
    if (typeof value === 'string') headers[name] = value;
    else if (Buffer.isBuffer(value)) headers[name] = value.toString('utf8');
  }
  return headers;
}
