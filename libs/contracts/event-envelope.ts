import { create, fromJson, toJson, type JsonValue } from '@bufbuild/protobuf';
import { uuidv7 } from './uuid-v7';
import { TOPIC_SCHEMAS, isTopic, type EventCase, type Payload, type PayloadInit, type Topic } from './topics';

export type ActorKind = 'trainer' | 'reviewer' | 'signer' | 'auditor' | 'orchestrator' | 'admin' | 'service';

export interface Actor {
  kind: ActorKind;
  id: string;
}

/** An event in memory: the proto envelope with its payload decoded into the topic's message. */
export interface EventEnvelope<T extends Topic = Topic> {
  id: string;
  type: string;
  topic: T;
  occurredAt: string;
  tenantId: string;
  actor: Actor;
  personaRef: string;
  sessionId: string;
  correlationId: string;
  causationId: string;
  key: string;
  payload: Payload<T>;
}

/** What a publisher supplies; ids, type and time are filled in. */
export interface NewEvent<T extends Topic> {
  topic: T;
  key: string;
  tenantId: string;
  actor: Actor;
  payload: PayloadInit<T>;
  personaRef?: string;
  sessionId?: string;
  correlationId?: string;
  causationId?: string;
}

export class InvalidEventError extends Error {
  constructor(reason: string) {
    super(`invalid event: ${reason}`);
    this.name = 'InvalidEventError';
  }
}

const ACTOR_KINDS: ReadonlySet<string> = new Set<ActorKind>([
  'trainer',
  'reviewer',
  'signer',
  'auditor',
  'orchestrator',
  'admin',
  'service',
]);

export function newEvent<T extends Topic>(input: NewEvent<T>, now: Date = new Date()): EventEnvelope<T> {
  const payload = create(TOPIC_SCHEMAS[input.topic], input.payload as never) as Payload<T>;
  const eventCase = (payload as { event: { case?: string } }).event.case;
  if (!eventCase) throw new InvalidEventError(`payload for ${input.topic} names no event`);
  if (!input.key) throw new InvalidEventError('key is required');
  if (!input.tenantId) throw new InvalidEventError('tenantId is required');
  const id = uuidv7(now.getTime());
  return {
    id,
    type: `${input.topic}.${eventCase}`,
    topic: input.topic,
    occurredAt: now.toISOString(),
    tenantId: input.tenantId,
    actor: input.actor,
    personaRef: input.personaRef ?? '',
    sessionId: input.sessionId ?? '',
    correlationId: input.correlationId ?? id,
    causationId: input.causationId ?? '',
    key: input.key,
    payload,
  };
}

/** The oneof case of an event's payload, e.g. 'started'. */
export function eventCase<T extends Topic>(event: EventEnvelope<T>): EventCase<T> {
  return (event.payload as { event: { case: EventCase<T> } }).event.case;
}

/** Proto3 JSON text of the envelope: the one wire format of both transports. */
export function serializeEvent(event: EventEnvelope): string {
  const payload = toJson(TOPIC_SCHEMAS[event.topic], event.payload as never);
  return JSON.stringify({
    id: event.id,
    type: event.type,
    topic: event.topic,
    occurredAt: event.occurredAt,
    tenantId: event.tenantId,
    actor: event.actor,
    personaRef: event.personaRef || undefined,
    sessionId: event.sessionId || undefined,
    correlationId: event.correlationId,
    causationId: event.causationId || undefined,
    key: event.key,
    payload,
  });
}

function requiredString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidEventError(`${field} must be a non-empty string`);
  return value;
}

function optionalString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new InvalidEventError(`${field} must be a string`);
  return value;
}

/** Parses and validates wire JSON; consumers never see an unchecked payload. */
export function deserializeEvent(text: string): EventEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InvalidEventError('not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidEventError('not an object');
  const record = raw as Record<string, unknown>;
  const topic = requiredString(record, 'topic');
  if (!isTopic(topic)) throw new InvalidEventError(`unknown topic ${topic}`);
  const actor = record.actor as Record<string, unknown> | undefined;
  if (!actor || typeof actor !== 'object') throw new InvalidEventError('actor is required');
  const actorKind = requiredString(actor, 'kind');
  if (!ACTOR_KINDS.has(actorKind)) throw new InvalidEventError(`actor.kind ${actorKind} is unknown`);
  let payload: Payload<Topic>;
  try {
    payload = fromJson(TOPIC_SCHEMAS[topic], record.payload as JsonValue);
  } catch (error) {
    throw new InvalidEventError(`payload: ${(error as Error).message}`);
  }
  const event: EventEnvelope = {
    id: requiredString(record, 'id'),
    type: requiredString(record, 'type'),
    topic,
    occurredAt: requiredString(record, 'occurredAt'),
    tenantId: requiredString(record, 'tenantId'),
    actor: { kind: actorKind as ActorKind, id: requiredString(actor, 'id') },
    personaRef: optionalString(record, 'personaRef'),
    sessionId: optionalString(record, 'sessionId'),
    correlationId: requiredString(record, 'correlationId'),
    causationId: optionalString(record, 'causationId'),
    key: requiredString(record, 'key'),
    payload,
  };
  if (event.type !== `${topic}.${String(eventCase(event))}`) {
    throw new InvalidEventError(`type ${event.type} does not match its payload`);
  }
  return event;
}
