import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Topic } from '@personae/contracts';
import type { BatchHandler, PartitionLag, Subscription } from '../event-transport.port';
import type { LeaseConnection } from './lease-connection';
import type { PartitionIo } from './partition-io';
import { PartitionWorker } from './partition-worker';

export interface GroupMemberOptions {
  pool: Pool;
  io: PartitionIo;
  schema: string;
  group: string;
  topics: readonly Topic[];
  partitions: number;
  handle: BatchHandler;
  lease: LeaseConnection;
  pollIntervalMs: number;
  rebalanceIntervalMs: number;
  /** Tells the other members of the group to rebalance now. */
  announce: (group: string) => Promise<void>;
  onClose: () => void;
}

/**
 * This process' membership of one consumer group on the Postgres log. Live members split
 * the group's partitions round-robin (member i of n takes every n-th partition); each
 * partition is held as an advisory lock on the lease connection, so it is consumed by one
 * member at a time and is released the moment its holder dies.
 */
export class GroupMember implements Subscription {
  readonly memberId = randomUUID();
  private readonly workers = new Map<string, PartitionWorker>();
  private leaseGeneration = -1;
  private timer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private closed = false;
  private readonly logger = new Logger('GroupMember');

  constructor(private readonly options: GroupMemberOptions) {}

  get group(): string {
    return this.options.group;
  }

  async start(): Promise<void> {
    await this.enqueue();
    this.timer = setInterval(() => this.requestRebalance(), this.options.rebalanceIntervalMs);
  }

  /** Asks for a rebalance; requests made while one is queued are folded into it. */
  requestRebalance(): void {
    if (!this.closed && !this.queued) this.enqueue().catch(() => undefined);
  }

  /**
   * Rebalances run strictly one after another: two at once could both take one partition
   * (advisory locks are re-entrant within a session) and start two workers on it.
   */
  private enqueue(): Promise<void> {
    this.queued = true;
    const run = this.chain.then(() => {
      this.queued = false;
      return this.closed ? undefined : this.rebalanceOnce();
    });
    this.chain = run.catch((error: Error) =>
      this.logger.warn(`${this.group}: rebalance failed: ${error.message}`),
    );
    return run;
  }

  wake(topic: string, partition: number): void {
    this.workers.get(`${topic}/${partition}`)?.notify();
  }

  wakeAll(): void {
    for (const worker of this.workers.values()) worker.notify();
  }

  reload(topic: string, partition: number): void {
    this.workers.get(`${topic}/${partition}`)?.reload();
  }

  heldPartitions(): string[] {
    return [...this.workers.keys()].sort();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.onClose();
    clearInterval(this.timer);
    await this.chain;
    await this.release([...this.workers.keys()]);
    const { pool, schema, group } = this.options;
    await pool.query(`DELETE FROM "${schema}".consumer_members WHERE group_name = $1 AND member_id = $2`, [
      group,
      this.memberId,
    ]);
    await this.options.announce(group).catch(() => undefined);
  }

  async lag(): Promise<PartitionLag[]> {
    const { pool, schema, group, topics } = this.options;
    const { rows } = await pool.query<{ topic: Topic; partition: number; lag: string }>(
      `SELECT h.topic, h.partition, h.next_offset - coalesce(o.next_offset, 0) AS lag
       FROM "${schema}".partition_heads h
       LEFT JOIN "${schema}".consumer_offsets o ON o.group_name = $1 AND o.topic = h.topic AND o.partition = h.partition
       WHERE h.topic = ANY($2::text[]) ORDER BY h.topic, h.partition`,
      [group, topics],
    );
    return rows.map((row) => ({ topic: row.topic, partition: row.partition, lag: Number(row.lag) }));
  }

  private async rebalanceOnce(): Promise<void> {
    const { lease } = this.options;
    await lease.ensure();
    if (lease.generation !== this.leaseGeneration) {
      // A new lease session: whatever we held under the old one is gone, and so is our member row's pid.
      await this.release([...this.workers.keys()]);
      this.leaseGeneration = lease.generation;
      await this.register();
    }
    let members = await this.liveMembers();
    if (!members.includes(this.memberId)) {
      await this.register();
      members = await this.liveMembers();
    }
    const index = members.indexOf(this.memberId);
    const target = new Set(this.partitionKeys().filter((_, i) => i % members.length === index));
    const surplus = [...this.workers.keys()].filter((key) => !target.has(key));
    if (surplus.length > 0) {
      await this.release(surplus);
      await this.options.announce(this.group);
    }
    for (const key of target) {
      if (this.closed || this.workers.has(key)) continue;
      if (await lease.tryLock(this.lockName(key))) this.startWorker(key);
    }
  }

  private startWorker(key: string): void {
    const [topic, partition] = key.split('/') as [Topic, string];
    const { io, group, handle, pollIntervalMs } = this.options;
    const worker = new PartitionWorker({
      io,
      group,
      topic,
      partition: Number(partition),
      handle,
      pollIntervalMs,
    });
    this.workers.set(key, worker);
    worker.start();
  }

  /** Stops the workers (their batches finish and commit first), then gives up the leases. */
  private async release(keys: string[]): Promise<void> {
    const generation = this.options.lease.generation;
    await Promise.all(keys.map((key) => this.workers.get(key)?.stop() ?? Promise.resolve()));
    for (const key of keys) {
      this.workers.delete(key);
      if (generation === this.leaseGeneration)
        await this.options.lease.unlock(this.lockName(key)).catch(() => undefined);
    }
  }

  private async register(): Promise<void> {
    const { schema, group, lease } = this.options;
    // Runs on the lease session so the recorded pid is the one whose death releases our locks.
    await lease.query(
      `INSERT INTO "${schema}".consumer_members (group_name, member_id, backend_pid, backend_start)
       SELECT $1, $2, pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()
       ON CONFLICT (group_name, member_id) DO UPDATE SET backend_pid = EXCLUDED.backend_pid, backend_start = EXCLUDED.backend_start`,
      [group, this.memberId],
    );
    await this.options.announce(group);
  }

  /** Members whose lease session is still alive; rows of dead ones are removed on the way. */
  private async liveMembers(): Promise<string[]> {
    const { pool, schema, group } = this.options;
    const alive = `EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = m.backend_pid AND a.backend_start = m.backend_start)`;
    const { rows } = await pool.query<{ member_id: string }>(
      `WITH dead AS (
         DELETE FROM "${schema}".consumer_members m WHERE group_name = $1 AND NOT ${alive} RETURNING member_id)
       SELECT member_id FROM "${schema}".consumer_members
       WHERE group_name = $1 AND member_id NOT IN (SELECT member_id FROM dead) ORDER BY member_id`,
      [group],
    );
    return rows.map((row) => row.member_id);
  }

  private partitionKeys(): string[] {
    const keys: string[] = [];
    for (const topic of [...this.options.topics].sort()) {
      for (let partition = 0; partition < this.options.partitions; partition++)
        keys.push(`${topic}/${partition}`);
    }
    return keys;
  }

  private lockName(key: string): string {
    return `personae:lease:${this.options.schema}:${this.group}:${key}`;
  }
}
