import type { Topic } from '@personae/contracts';

/** Headers both transports carry beside the value, so routers and tracers need not parse it. */
export interface EventHeaders {
  id: string;
  type: string;
  'tenant-id': string;
  'correlation-id': string;
}

/** One event on its way into the log: the wire JSON plus what routing needs. */
export interface OutgoingRecord {
  topic: Topic;
  /** Partitioning key (the aggregate id): records with one key keep their order. */
  key: string;
  eventId: string;
  headers: EventHeaders;
  /** Proto3 JSON of the envelope (`serializeEvent`). */
  value: string;
}

/** One event as a consumer receives it: not yet validated; `deserializeEvent` does that. */
export interface DeliveredRecord {
  topic: Topic;
  partition: number;
  offset: number;
  key: string;
  /** From the `id` header; empty when a foreign producer left it out. */
  eventId: string;
  headers: Partial<EventHeaders>;
  value: string;
}

/** Records of one topic partition, in offset order. */
export interface RecordBatch {
  topic: Topic;
  partition: number;
  records: readonly DeliveredRecord[];
  /** Call during long batches so the transport keeps the partition assigned to us. */
  heartbeat(): Promise<void>;
  /** Aborted when the subscription is closing: stop between events and throw, leaving the rest uncommitted. */
  signal: AbortSignal;
  /**
   * False only when the transport knows no record of the batch reached this group before
   * (the Postgres log past the first batches after taking a partition over); consumers
   * then skip looking up processed ids.
   */
  mayRepeat: boolean;
}

/**
 * Resolving commits the batch's offsets; throwing leaves them uncommitted, so the
 * batch is delivered again (to this or another member of the group).
 */
export type BatchHandler = (batch: RecordBatch) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group: each event reaches one member of each group. */
  group: string;
  topics: readonly Topic[];
  handle: BatchHandler;
}

export interface PartitionLag {
  topic: Topic;
  partition: number;
  lag: number;
}

export interface Subscription {
  readonly group: string;
  /** Stops fetching, lets the batch in hand finish and commit, then leaves the group. */
  close(): Promise<void>;
  /** Events appended but not yet committed by the group, per partition. */
  lag(): Promise<PartitionLag[]>;
}

/** The event bus port: a durable, partitioned, ordered log with consumer groups. */
export interface EventTransport {
  readonly kind: 'postgres' | 'kafka';
  /**
   * True when the log holds an event id at most once per topic (the Postgres log drops
   * re-sent events at append). Committed offsets then say all a group has processed, and
   * processed ids are recorded only for effects made with `applyOnce`; on Kafka, where a
   * re-sent event is a second record, every handled id is recorded.
   */
  readonly uniqueEventIds: boolean;
  /** Durable when it resolves; records with one key keep their order (also across calls awaited in turn). */
  append(records: readonly OutgoingRecord[]): Promise<void>;
  /** Delivers batches per partition, in order, one partition to one member of the group at a time. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Throws when the transport cannot currently append or deliver. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Injection token of the process' EventTransport. */
export const EVENT_TRANSPORT = Symbol('EVENT_TRANSPORT');
