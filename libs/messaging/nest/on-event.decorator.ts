import { AsyncLocalStorage } from 'node:async_hooks';
import { EventPattern } from '@nestjs/microservices';
import type { EventEnvelope, Topic } from '@personae/contracts';
import type { BatchContext } from '../consumer/batch-context';
import type { EventContext } from '../consumer/event-context';

/** Transport id of our strategy, so other microservice servers ignore these handlers. */
export const PERSONAE_EVENTS = Symbol.for('personae:events');

export interface OnEventOptions {
  /** Consumer group, normally the service's name: each group sees every event once. */
  group: string;
}

export interface OnEventsOptions extends OnEventOptions {
  /** Most events per call (default 500); a group's batch handlers share the smallest declared. */
  maxBatch?: number;
}

/** What `@OnEvent`/`@OnEvents` leave on the handler for EventConsumerServer. */
export interface OnEventExtras {
  personaeEvent: true;
  topic: Topic;
  group: string;
  /** Set by `@OnEvents`: the handler takes an array of events and a BatchContext. */
  batch?: { maxBatch?: number };
}

/** The delivery being handled, so a failure can be recorded whichever parameters the handler declares. */
export const currentDelivery = new AsyncLocalStorage<EventContext | BatchContext>();

/**
 * `@OnEvent('training.session', { group: 'synthesis-pipeline' })` on a controller method
 * `(event: EventEnvelope<'training.session'>, ctx: EventContext)`: a handler whose event
 * type does not match the topic does not compile. The Nest pattern is `{ topic, group }`,
 * not the bare topic, so two services' handlers of one topic stay separate groups instead
 * of being chained into one call.
 */
export function OnEvent<T extends Topic>(topic: T, options: OnEventOptions) {
  return <M extends (event: EventEnvelope<T>, context: EventContext) => unknown>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => register(target, key, descriptor, { personaeEvent: true, topic, group: options.group });
}

/**
 * `@OnEvents('training.session', { group: 'synthesis-pipeline', maxBatch: 200 })` on a method
 * `(events: EventEnvelope<'training.session'>[], ctx: BatchContext<'training.session'>)`: up
 * to `maxBatch` events of one partition per call, in order (see IdempotentConsumer for retries).
 */
export function OnEvents<T extends Topic>(topic: T, options: OnEventsOptions) {
  return <M extends (events: EventEnvelope<T>[], context: BatchContext<T>) => unknown>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void =>
    register(target, key, descriptor, {
      personaeEvent: true,
      topic,
      group: options.group,
      batch: { maxBatch: options.maxBatch },
    });
}

function register<M>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
  extras: OnEventExtras,
): void {
  const original = descriptor.value;
  if (typeof original !== 'function') throw new Error(`@OnEvent decorates methods, not ${String(key)}`);
  // Nest's RPC exception filter would replace the error with "Internal server error";
  // we keep the real one for the retry log and the dead letter.
  const wrapped = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    try {
      return await (original as (...a: unknown[]) => unknown).apply(this, args);
    } catch (error) {
      const context = currentDelivery.getStore();
      if (!context) throw error;
      context.failure = { error };
      return undefined;
    }
  };
  for (const metadataKey of Reflect.getMetadataKeys(original) as unknown[]) {
    Reflect.defineMetadata(metadataKey, Reflect.getMetadata(metadataKey, original), wrapped);
  }
  Object.defineProperty(wrapped, 'name', { value: original.name });
  descriptor.value = wrapped as unknown as M;
  // A batch handler is its own pattern, so Nest never chains it with a one-event handler.
  const pattern = { topic: extras.topic, group: extras.group, ...(extras.batch ? { batch: true } : {}) };
  EventPattern(pattern, PERSONAE_EVENTS, extras)(target, key, descriptor);
}

export function isOnEventExtras(
  extras: Record<string, unknown> | undefined,
): extras is Record<string, unknown> & OnEventExtras {
  return (
    extras?.personaeEvent === true && typeof extras.topic === 'string' && typeof extras.group === 'string'
  );
}
