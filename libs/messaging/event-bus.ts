import type { EventEnvelope } from '@personae/contracts';
import type { RetryPolicy } from './backoff';
import { IdempotentConsumer, type ConsumerOptions } from './consumer/idempotent-consumer';
import { toOutgoingRecord } from './event-record';
import type { EventTransport, OutgoingRecord, Subscription } from './event-transport.port';
import { messagingMetrics, trackLag } from './metrics';
import type { ProcessedEventStore } from './store/processed-event.store';

/**
 * The transport plus what makes consumers safe on it (processed ids, retries, dead
 * letters). Services publish through the outbox; the relay and dead letters append here.
 */
export class EventBus {
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(
    readonly transport: EventTransport,
    readonly processed: ProcessedEventStore,
    private readonly retry: Partial<RetryPolicy> = {},
  ) {}

  async append(records: readonly OutgoingRecord[]): Promise<void> {
    await this.transport.append(records);
    for (const record of records) messagingMetrics.published.inc({ topic: record.topic });
  }

  /** Appends events directly, outside any transaction: only for events with no state change to commit. */
  async publishDirect(events: readonly EventEnvelope[]): Promise<void> {
    await this.append(events.map(toOutgoingRecord));
  }

  /** Joins `group` and handles its topics until the subscription is closed. */
  async consume(options: ConsumerOptions): Promise<Subscription> {
    if (this.closed) throw new Error('the event bus is closed');
    const consumer = new IdempotentConsumer(
      { ...options, retry: { ...this.retry, ...options.retry } },
      {
        processed: this.processed,
        uniqueEventIds: this.transport.uniqueEventIds,
        append: (records) => this.append(records),
      },
    );
    const subscription = await this.transport.subscribe({
      group: options.group,
      topics: consumer.topics,
      handle: consumer.handle,
    });
    const untrack = trackLag(subscription);
    const tracked: Subscription = {
      group: subscription.group,
      lag: () => subscription.lag(),
      close: async () => {
        untrack();
        this.subscriptions.delete(tracked);
        await subscription.close();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  async ping(): Promise<void> {
    await Promise.all([this.transport.ping(), this.processed.ping()]);
  }

  /** Stops every consumer (their batches finish first), then the transport. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.transport.close();
    await this.processed.close();
  }
}
