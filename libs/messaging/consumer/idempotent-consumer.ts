import { Logger } from '@nestjs/common';
import { deserializeEvent, InvalidEventError, type EventEnvelope, type Topic } from '@personae/contracts';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from '../backoff';
import { toOutgoingRecord } from '../event-record';
import type { DeliveredRecord, OutgoingRecord, RecordBatch } from '../event-transport.port';
import { messagingMetrics } from '../metrics';
import type { ProcessedEventStore } from '../store/processed-event.store';
import { deadLetterFor, describeError } from './dead-letter';
import { EventContext } from './event-context';

/** Handles one validated event; throwing means "retry me". */
export type EventHandler<T extends Topic = Topic> = (
  event: EventEnvelope<T>,
  context: EventContext,
) => Promise<void> | void;

/** One handler per topic, each typed by its topic's payload. */
export type EventHandlers = { [T in Topic]?: EventHandler<T> };

export interface ConsumerOptions {
  /** Consumer group (one per service): each event is handled once per group. */
  group: string;
  handlers: EventHandlers;
  retry?: Partial<RetryPolicy>;
}

export interface ConsumerDependencies {
  processed: ProcessedEventStore;
  /** The log never repeats an event id (EventTransport.uniqueEventIds): offsets alone record progress. */
  uniqueEventIds: boolean;
  /** Appends dead letters (durably) before the offset moves on. */
  append: (records: OutgoingRecord[]) => Promise<void>;
}

type Outcome = 'processed' | 'duplicate' | 'dead_lettered' | 'ignored';

export class ConsumerClosingError extends Error {
  constructor() {
    super('consumer is closing; the rest of the batch will be delivered again');
    this.name = 'ConsumerClosingError';
  }
}

/**
 * Turns record batches into handler calls for one group: validates each record, skips
 * events the group already processed, retries failures with exponential backoff, and
 * after `maxAttempts` dead-letters the event and moves on, so one poison event cannot
 * stall its partition forever. Order within a partition is kept: retries block it.
 */
export class IdempotentConsumer {
  private readonly retry: RetryPolicy;
  private readonly logger = new Logger('EventConsumer');

  constructor(
    private readonly options: ConsumerOptions,
    private readonly deps: ConsumerDependencies,
  ) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  get topics(): Topic[] {
    return (Object.keys(this.options.handlers) as Topic[]).filter(
      (topic) => this.options.handlers[topic] !== undefined,
    );
  }

  readonly handle = async (batch: RecordBatch): Promise<void> => {
    const { group } = this.options;
    const seen = batch.mayRepeat
      ? await this.deps.processed.filterProcessed(
          group,
          batch.records.map((record) => record.eventId).filter((id) => id.length > 0),
        )
      : new Set<string>();
    const finished: string[] = [];
    try {
      for (const record of batch.records) {
        if (batch.signal.aborted) throw new ConsumerClosingError();
        const { id, outcome } = await this.deliver(record, seen, batch.signal);
        messagingMetrics.consumed.inc({ group, topic: record.topic, outcome });
        seen.add(id);
        finished.push(id);
      }
    } finally {
      // Also when stopping midway: what was handled stays handled on redelivery. Needless
      // when the log cannot repeat an event: the offset commit after this batch says it all.
      if (!this.deps.uniqueEventIds) await this.deps.processed.markProcessed(group, finished);
    }
  };

  private async deliver(
    record: DeliveredRecord,
    seen: Set<string>,
    signal: AbortSignal,
  ): Promise<{ id: string; outcome: Outcome }> {
    // A record without an id header is known by its position, so it is not handled twice either.
    const fallbackId = record.eventId || `@${record.topic}/${record.partition}/${record.offset}`;
    if (seen.has(fallbackId)) return { id: fallbackId, outcome: 'duplicate' };
    let event: EventEnvelope;
    try {
      event = parse(record);
    } catch (error) {
      // Invalid events never become valid: dead-letter them without retrying.
      return { id: fallbackId, outcome: await this.deadLetter(record, error, 1) };
    }
    const id = event.id;
    if (
      id !== fallbackId &&
      (seen.has(id) || (await this.deps.processed.filterProcessed(this.options.group, [id])).has(id))
    ) {
      return { id, outcome: 'duplicate' };
    }
    const handler = this.options.handlers[event.topic] as EventHandler | undefined;
    if (!handler) return { id, outcome: 'ignored' };
    for (let attempt = 1; ; attempt++) {
      const context = new EventContext(this.options.group, id, record, attempt, this.deps.processed);
      try {
        await handler(event, context);
        if (context.failure) throw context.failure.error;
        return { id, outcome: 'processed' };
      } catch (error) {
        if (attempt >= this.retry.maxAttempts)
          return { id, outcome: await this.deadLetter(record, error, attempt, event) };
        const delay = backoffDelay(attempt, this.retry);
        this.logger.warn(
          `${this.options.group} ${event.type} ${id} attempt ${attempt} failed (${describeError(error)}); retrying in ${delay} ms`,
        );
        await sleep(delay, signal);
        if (signal.aborted) throw new ConsumerClosingError();
      }
    }
  }

  private async deadLetter(
    record: DeliveredRecord,
    error: unknown,
    attempts: number,
    event?: EventEnvelope,
  ): Promise<Outcome> {
    const { group } = this.options;
    if (record.topic === 'deadletter') {
      // A failing dead-letter consumer must not feed the topic it reads.
      this.logger.error(`${group} gave up on dead letter ${record.eventId}: ${describeError(error)}`);
      return 'dead_lettered';
    }
    this.logger.error(
      `${group} dead-letters ${event?.type ?? record.topic} ${event?.id ?? record.eventId} after ${attempts} attempt(s): ${describeError(error)}`,
    );
    await this.deps.append([toOutgoingRecord(deadLetterFor(record, group, error, attempts, event))]);
    messagingMetrics.deadLettered.inc({ group, topic: record.topic });
    return 'dead_lettered';
  }
}

function parse(record: DeliveredRecord): EventEnvelope {
  const event = deserializeEvent(record.value);
  if (record.eventId && event.id !== record.eventId) {
    throw new InvalidEventError(`id header ${record.eventId} differs from the envelope id ${event.id}`);
  }
  if (event.topic !== record.topic)
    throw new InvalidEventError(`envelope of topic ${event.topic} arrived on ${record.topic}`);
  return event;
}
