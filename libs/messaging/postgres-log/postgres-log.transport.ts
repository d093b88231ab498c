import type { Pool } from 'pg';
import { isTopic, type Topic } from '@personae/contracts';
import { Coalescer } from '../coalescer';
import { pickHeaders } from '../event-record';
import { partitionFor } from '../partitioner';
import type {
  DeliveredRecord,
  EventTransport,
  OutgoingRecord,
  SubscribeOptions,
  Subscription,
} from '../event-transport.port';
import { PgListener } from '../pg-listener';
import { createPool } from '../pg-pool';
import { assertSchemaName, migrateMessagingSchema, MESSAGING_SCHEMA } from '../store/messaging-schema';
import { DEFAULT_RETENTION_MS, pruneEventLog, schedulePruning } from '../store/retention';
import { GroupMember } from './group-member';
import { LeaseConnection } from './lease-connection';
import { LogAppender } from './log-appender';
import { PartitionIo } from './partition-io';
import { REDELIVERY_WINDOW } from './partition-worker';

export interface PostgresLogOptions {
  url: string;
  /** EVENT_LOG_PARTITIONS: partitions per topic; a key's partition is murmur2(key) % partitions. */
  partitions: number;
  /** Schema of the log and the consumer-group state (tests use their own). */
  schema?: string;
  poolSize?: number;
  /** Records per fetch of one partition. */
  fetchSize?: number;
  /** Fallback wake-up when a NOTIFY was missed. */
  pollIntervalMs?: number;
  /** How often members re-check who is alive and which partitions they own. */
  rebalanceIntervalMs?: number;
  /** Records per append transaction when appends are coalesced. */
  maxAppendBatch?: number;
  /** Events older than this are pruned (hourly); default 7 days. */
  retentionMs?: number;
}

const GROUP_NAME = /^[A-Za-z0-9._-]{1,120}$/;

/** The embedded event bus: a durable ordered log in Postgres with consumer groups. */
export class PostgresLogTransport implements EventTransport {
  readonly kind = 'postgres' as const;
  readonly uniqueEventIds = true;
  private readonly members = new Set<GroupMember>();
  private readonly appends: Coalescer<readonly OutgoingRecord[], undefined>;
  private readonly io: PartitionIo;
  private readonly stopPruning: () => void;
  private closed = false;

  private constructor(
    private readonly options: Required<PostgresLogOptions>,
    private readonly appendPool: Pool,
    private readonly consumerPool: Pool,
    private readonly listener: PgListener,
    private readonly lease: LeaseConnection,
  ) {
    const appender = new LogAppender(appendPool, options.schema, options.partitions, this.eventsChannel);
    // Group commit: appends made while one is being written share the next transaction.
    this.appends = new Coalescer(
      async (requests) => {
        await appender.append(requests.flat());
        return requests.map(() => undefined);
      },
      options.maxAppendBatch,
      (records) => records.length,
    );
    this.io = new PartitionIo(consumerPool, options.schema, options.fetchSize);
    this.stopPruning = schedulePruning(consumerPool, `${options.schema}.events`, (pool) => this.prune(pool));
  }

  static async open(input: PostgresLogOptions): Promise<PostgresLogTransport> {
    const options: Required<PostgresLogOptions> = {
      url: input.url,
      partitions: input.partitions,
      schema: input.schema ?? MESSAGING_SCHEMA,
      poolSize: input.poolSize ?? 10,
      fetchSize: input.fetchSize ?? 500,
      pollIntervalMs: input.pollIntervalMs ?? 1000,
      rebalanceIntervalMs: input.rebalanceIntervalMs ?? 1000,
      maxAppendBatch: input.maxAppendBatch ?? 1000,
      retentionMs: input.retentionMs ?? DEFAULT_RETENTION_MS,
    };
    assertSchemaName(options.schema);
    if (!Number.isInteger(options.partitions) || options.partitions < 1)
      throw new Error('partitions must be a positive integer');
    if (options.fetchSize > REDELIVERY_WINDOW)
      throw new Error(`fetchSize may be at most ${REDELIVERY_WINDOW}`);
    await migrateMessagingSchema(options.url, options.schema);
    const appendPool = createPool({
      url: options.url,
      max: Math.max(2, Math.ceil(options.poolSize / 2)),
      name: 'log-append',
    });
    // Consumers' offset commits may be asynchronous: a database crash can only replay
    // events, which processed-id marks and at-least-once delivery already allow for.
    const consumerPool = createPool({
      url: options.url,
      max: options.poolSize,
      name: 'log-consume',
      asyncCommit: true,
    });
    const listener = new PgListener(options.url);
    const transport = new PostgresLogTransport(
      options,
      appendPool,
      consumerPool,
      listener,
      new LeaseConnection(options.url),
    );
    try {
      await listener.start();
      await listener.listen(transport.eventsChannel, (payload) => transport.onAppended(payload));
      await listener.listen(transport.membersChannel, (payload) => transport.onMembersChanged(payload));
      listener.onReconnect(() => transport.catchUp());
    } catch (error) {
      await transport.close();
      throw error;
    }
    return transport;
  }

  get schema(): string {
    return this.options.schema;
  }

  private get eventsChannel(): string {
    return `personae:${this.options.schema}:events`;
  }

  private get membersChannel(): string {
    return `personae:${this.options.schema}:members`;
  }

  append(records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the event log is closed'));
    if (records.length === 0) return Promise.resolve();
    return this.appends.submit(records);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('the event log is closed');
    if (!GROUP_NAME.test(options.group)) throw new Error(`invalid consumer group name ${options.group}`);
    if (options.topics.length === 0)
      throw new Error(`consumer group ${options.group} subscribes to no topic`);
    // Leases are re-entrant within our lease session, so a second local member would share partitions.
    if ([...this.members].some((member) => member.group === options.group)) {
      throw new Error(
        `this process already consumes as group ${options.group}; open another transport for a second member`,
      );
    }
    const member = new GroupMember({
      pool: this.consumerPool,
      io: this.io,
      schema: this.options.schema,
      group: options.group,
      topics: [...new Set(options.topics)],
      partitions: this.options.partitions,
      handle: options.handle,
      lease: this.lease,
      pollIntervalMs: this.options.pollIntervalMs,
      rebalanceIntervalMs: this.options.rebalanceIntervalMs,
      announce: (group) => this.notify(this.membersChannel, `rebalance ${group}`),
      onClose: () => this.members.delete(member),
    });
    this.members.add(member);
    try {
      await member.start();
    } catch (error) {
      await member.close();
      throw error;
    }
    return member;
  }

  /** Replay: reads a partition from an offset, whatever any group has committed. */
  async read(topic: Topic, partition: number, fromOffset: number, limit = 500): Promise<DeliveredRecord[]> {
    const { rows } = await this.consumerPool.query<{
      offset: string;
      event_id: string;
      key: string;
      headers: Record<string, unknown>;
      value: string;
    }>(
      `SELECT "offset", event_id, key, headers, value FROM "${this.options.schema}".events
       WHERE topic = $1 AND partition = $2 AND "offset" >= $3 ORDER BY "offset" LIMIT $4`,
      [topic, partition, fromOffset, limit],
    );
    return rows.map((row) => ({
      topic,
      partition,
      offset: Number(row.offset),
      key: row.key,
      eventId: row.event_id,
      headers: pickHeaders(row.headers),
      value: row.value,
    }));
  }

  /**
   * Moves a group's committed offset (replay or skip). Replayed events are delivered again,
   * except those whose effects were committed with `applyOnce`: their marks still skip them.
   */
  async seek(group: string, topic: Topic, partition: number, offset: number): Promise<void> {
    await this.consumerPool.query(
      `INSERT INTO "${this.options.schema}".consumer_offsets (group_name, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_name, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
      [group, topic, partition, offset],
    );
    await this.notify(this.membersChannel, `seek ${group} ${topic} ${partition}`);
  }

  /** The next offset of each partition of a topic that has any events. */
  async heads(topic: Topic): Promise<Map<number, number>> {
    const { rows } = await this.consumerPool.query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset FROM "${this.options.schema}".partition_heads WHERE topic = $1`,
      [topic],
    );
    return new Map(rows.map((row) => [row.partition, Number(row.next_offset)]));
  }

  /** Deletes events older than the retention; runs hourly on its own. */
  async prune(pool: Pool = this.consumerPool): Promise<number> {
    return pruneEventLog(pool, this.options.schema, new Date(Date.now() - this.options.retentionMs));
  }

  partitionOf(key: string): number {
    return partitionFor(key, this.options.partitions);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the event log is closed');
    if (!this.listener.connected) throw new Error('the LISTEN connection is down');
    await this.appendPool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPruning();
    await Promise.all([...this.members].map((member) => member.close()));
    await this.listener.close();
    await this.lease.close();
    await Promise.all([this.appendPool.end(), this.consumerPool.end()]);
  }

  private onAppended(payload: string): void {
    const slash = payload.lastIndexOf('/');
    const topic = payload.slice(0, slash);
    const partition = Number(payload.slice(slash + 1));
    for (const member of this.members) member.wake(topic, partition);
  }

  private onMembersChanged(payload: string): void {
    const [kind, group, topic, partition] = payload.split(' ');
    for (const member of this.members) {
      if (member.group !== group) continue;
      if (kind === 'seek' && topic && isTopic(topic)) member.reload(topic, Number(partition));
      else member.requestRebalance();
    }
  }

  /** After the LISTEN connection came back: notifications may have been missed. */
  private catchUp(): void {
    for (const member of this.members) {
      member.wakeAll();
      member.requestRebalance();
    }
  }

  private async notify(channel: string, payload: string): Promise<void> {
    await this.consumerPool.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }
}
