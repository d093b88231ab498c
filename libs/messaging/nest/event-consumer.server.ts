import { Injectable } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EventEnvelope, Topic } from '@personae/contracts';
import type { BatchContext } from '../consumer/batch-context';
import type { EventContext } from '../consumer/event-context';
import type { ConsumerOptions, EventHandler, BatchEventHandler } from '../consumer/idempotent-consumer';
import { EventBus } from '../event-bus';
import type { Subscription } from '../event-transport.port';
import { currentDelivery, isOnEventExtras, PERSONAE_EVENTS } from './on-event.decorator';

type NestHandler = (data: unknown, context?: unknown) => Promise<unknown>;

/**
 * The Nest microservice strategy: every `@OnEvent` handler joins its consumer group on the
 * event bus, one subscription per group, so each service module of a one-process platform
 * still consumes as its own group.
 */
@Injectable()
export class EventConsumerServer extends Server implements CustomTransportStrategy {
  override readonly transportId = PERSONAE_EVENTS;
  private subscriptions: Subscription[] = [];
  private started = false;

  constructor(private readonly bus: EventBus) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** The consumer groups and topics the registered handlers ask for. */
  groups(): Map<string, Topic[]> {
    const groups = new Map<string, Topic[]>();
    for (const handler of this.messageHandlers.values()) {
      if (!isOnEventExtras(handler.extras)) continue;
      groups.set(handler.extras.group, [...(groups.get(handler.extras.group) ?? []), handler.extras.topic]);
    }
    return groups;
  }

  /** Leaves every group; batches in hand finish and commit first. Safe to call twice. */
  async close(): Promise<void> {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  }

  on(): void {
    throw new Error('EventConsumerServer emits no status events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const byGroup = new Map<string, ConsumerOptions>();
    for (const handler of this.messageHandlers.values()) {
      if (!isOnEventExtras(handler.extras)) continue;
      const { group, topic, batch } = handler.extras;
      const options: ConsumerOptions = byGroup.get(group) ?? { group };
      if (batch) {
        const batchHandlers = (options.batchHandlers ?? {}) as Record<Topic, BatchEventHandler>;
        batchHandlers[topic] = (events, context) => this.invoke(handler as NestHandler, events, context);
        options.batchHandlers = batchHandlers;
        if (batch.maxBatch !== undefined)
          options.maxBatch = Math.min(options.maxBatch ?? batch.maxBatch, batch.maxBatch);
      } else {
        const handlers = (options.handlers ?? {}) as Record<Topic, EventHandler>;
        handlers[topic] = (event, context) => this.invoke(handler as NestHandler, event, context);
        options.handlers = handlers;
      }
      byGroup.set(group, options);
    }
    for (const options of byGroup.values()) {
      this.subscriptions.push(await this.bus.consume(options));
    }
  }

  private async invoke(
    handler: NestHandler,
    data: EventEnvelope | EventEnvelope[],
    context: EventContext | BatchContext,
  ): Promise<void> {
    await currentDelivery.run(context, async () => {
      const result = await handler(data, context);
      // Several handlers of one group and topic come back as one forkJoin'ed observable.
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    });
    if (context.failure) throw context.failure.error;
  }
}
