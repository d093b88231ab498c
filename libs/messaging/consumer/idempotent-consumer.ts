import { Logger } from '@nestjs/common';
import { deserializeEvent, InvalidEventError, type EventEnvelope, type Topic } from '@personae/contracts';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from '../backoff';
import { toOutgoingRecord } from '../event-record';
import type { DeliveredRecord, OutgoingRecord, RecordBatch } from '../event-transport.port';
import { messagingMetrics } from '../metrics';
import type { ProcessedEventStore } from '../store/processed-event.store';
import { BatchContext } from './batch-context';
import { deadLetterFor, describeError } from './dead-letter';
import { EventContext } from './event-context';

/** Handles one validated event; throwing means "retry me". */
export type EventHandler<T extends Topic = Topic> = (
  event: EventEnvelope<T>,
  context: EventContext,
) => Promise<void> | void;

/** One handler per topic, each typed by its topic's payload. */
export type EventHandlers = { [T in Topic]?: EventHandler<T> };

/**
 * Handles up to `maxBatch` validated events of one topic partition, in offset order;
 * throwing means "retry the batch" (see IdempotentConsumer for what follows).
 */
export type BatchEventHandler<T extends Topic = Topic> = (
  events: EventEnvelope<T>[],
  context: BatchContext<T>,
) => Promise<void> | void;

export type BatchEventHandlers = { [T in Topic]?: BatchEventHandler<T> };

/** Events per batch-handler call when `maxBatch` is not given. */
export const DEFAULT_MAX_BATCH = 500;

export interface ConsumerOptions {
  /** Consumer group (one per service): each event is handled once per group. */
  group: string;
  /** One event per call. */
  handlers?: EventHandlers;
  /** Many events of one partition per call; a topic has a handler or a batch handler, not both. */
  batchHandlers?: BatchEventHandlers;
  /** Upper bound of a batch handler's batch (the transport's fetch bounds it too). */
  maxBatch?: number;
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

/** A record that validated, waiting in a batch for its handler. */
interface Pending {
  record: DeliveredRecord;
  event: EventEnvelope;
}

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
 *
 * Batch handlers get the valid, not yet processed events of a fetched batch in runs of up to
 * `maxBatch` (an invalid record ends a run and is dead-lettered at its place). A failing run
 * is retried whole with backoff up to `maxAttempts`; if it still fails, its events are handed
 * over one at a time, each with its own retries, so only the poison event is dead-lettered.
 */
export class IdempotentConsumer {
  private readonly retry: RetryPolicy;
  private readonly logger = new Logger('EventConsumer');

  constructor(
    private readonly options: ConsumerOptions,
    private readonly deps: ConsumerDependencies,
  ) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
    for (const topic of Object.keys(options.batchHandlers ?? {}) as Topic[])
      if (options.handlers?.[topic] && options.batchHandlers?.[topic])
        throw new Error(`${options.group}: ${topic} has both a handler and a batch handler`);
  }

  private readonly maxBatch: number;

  get topics(): Topic[] {
    const { handlers = {}, batchHandlers = {} } = this.options;
    return [...new Set([...Object.keys(handlers), ...Object.keys(batchHandlers)] as Topic[])].filter(
      (topic) => handlers[topic] !== undefined || batchHandlers[topic] !== undefined,
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
    const batchHandler = this.options.batchHandlers?.[batch.topic] as BatchEventHandler | undefined;
    try {
      if (batchHandler) return await this.deliverBatch(batch, batchHandler, seen, finished);
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

  /** Runs of valid events to the batch handler; invalid records dead-lettered in between. */
  private async deliverBatch(
    batch: RecordBatch,
    handler: BatchEventHandler,
    seen: Set<string>,
    finished: string[],
  ): Promise<void> {
    const { group } = this.options;
    let run: Pending[] = [];
    const flush = async (): Promise<void> => {
      if (run.length === 0) return;
      const taken = run;
      run = [];
      await this.handleRun(taken, handler, batch, false);
      for (const { event } of taken) finished.push(event.id);
    };
    for (const record of batch.records) {
      if (batch.signal.aborted) throw new ConsumerClosingError();
      const checked = await this.check(record, seen);
      if ('outcome' in checked) {
        // Effects of the run before an invalid record come first: order holds for dead letters too.
        if (checked.outcome === 'invalid') await flush();
        const outcome =
          checked.outcome === 'invalid' ? await this.deadLetter(record, checked.error, 1) : checked.outcome;
        messagingMetrics.consumed.inc({ group, topic: record.topic, outcome });
        seen.add(checked.id);
        finished.push(checked.id);
        continue;
      }
      seen.add(checked.event.id); // the same event twice in one fetch
      run.push({ record, event: checked.event });
      if (run.length >= this.maxBatch) await flush();
    }
    await flush();
  }

  /** One run: whole with retries, then (when it still fails) one event at a time. */
  private async handleRun(
    run: Pending[],
    handler: BatchEventHandler,
    batch: RecordBatch,
    isolating: boolean,
  ): Promise<void> {
    const { group } = this.options;
    const { signal } = batch;
    const events = run.map((item) => item.event);
    const records = run.map((item) => item.record);
    for (let attempt = 1; ; attempt++) {
      const context = new BatchContext(
        group,
        batch.topic,
        batch.partition,
        events,
        records,
        attempt,
        isolating,
        this.deps.processed,
      );
      try {
        await handler(events, context);
        if (context.failure) throw context.failure.error;
        for (const event of events)
          messagingMetrics.consumed.inc({ group, topic: event.topic, outcome: 'processed' });
        return;
      } catch (error) {
        if (attempt >= this.retry.maxAttempts) {
          if (run.length > 1) break;
          const outcome = await this.deadLetter(run[0]!.record, error, attempt, run[0]!.event);
          messagingMetrics.consumed.inc({ group, topic: batch.topic, outcome });
          return;
        }
        const delay = backoffDelay(attempt, this.retry);
        this.logger.warn(
          `${group} batch of ${run.length} ${batch.topic}/${batch.partition} from offset ${records[0]!.offset} attempt ${attempt} failed (${describeError(error)}); retrying in ${delay} ms`,
        );
        await sleep(delay, signal);
        if (signal.aborted) throw new ConsumerClosingError();
      }
    }
    this.logger.warn(
      `${group} batch of ${run.length} ${batch.topic}/${batch.partition} kept failing; handling its events one at a time`,
    );
    for (const item of run) {
      if (signal.aborted) throw new ConsumerClosingError();
      await this.handleRun([item], handler, batch, true);
    }
  }

  /** A valid event not yet processed, or why the record gets no handler call. */
  private async check(
    record: DeliveredRecord,
    seen: Set<string>,
  ): Promise<
    | { event: EventEnvelope }
    | { id: string; outcome: 'duplicate' }
    | { id: string; outcome: 'invalid'; error: unknown }
  > {
    // A record without an id header is known by its position, so it is not handled twice either.
    const fallbackId = record.eventId || `@${record.topic}/${record.partition}/${record.offset}`;
    if (seen.has(fallbackId)) return { id: fallbackId, outcome: 'duplicate' };
    let event: EventEnvelope;
    try {
      event = parse(record);
    } catch (error) {
      return { id: fallbackId, outcome: 'invalid', error };
    }
    const id = event.id;
    if (
      id !== fallbackId &&
      (seen.has(id) || (await this.deps.processed.filterProcessed(this.options.group, [id])).has(id))
    ) {
      return { id, outcome: 'duplicate' };
    }
    return { event };
  }

  private async deliver(
    record: DeliveredRecord,
    seen: Set<string>,
    signal: AbortSignal,
  ): Promise<{ id: string; outcome: Outcome }> {
    const checked = await this.check(record, seen);
    if ('outcome' in checked) {
      // Invalid events never become valid: dead-letter them without retrying.
      if (checked.outcome === 'invalid')
        return { id: checked.id, outcome: await this.deadLetter(record, checked.error, 1) };
      return { id: checked.id, outcome: checked.outcome };
    }
    const { event } = checked;
    const id = event.id;
    const handler = this.options.handlers?.[event.topic] as EventHandler | undefined;
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
