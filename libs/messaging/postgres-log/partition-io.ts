import type { Pool } from 'pg';
import type { Topic } from '@personae/contracts';
import { Coalescer } from '../coalescer';
import { pickHeaders } from '../event-record';
import type { DeliveredRecord } from '../event-transport.port';

interface FetchRequest {
  topic: Topic;
  partition: number;
  from: number;
}

interface CommitRequest {
  group: string;
  topic: Topic;
  partition: number;
  expected: number;
  next: number;
}

interface EventRow {
  i: string;
  offset: string;
  event_id: string;
  key: string;
  headers: Record<string, unknown>;
  value: string;
}

/**
 * Reads and offset commits of every partition worker in the process. One NOTIFY wakes many
 * workers (all groups, all partitions it touched); their fetches and commits are folded
 * into one query each instead of one per worker, and groups reading the same partition
 * from the same offset share the rows.
 */
export class PartitionIo {
  private readonly fetches: Coalescer<FetchRequest, DeliveredRecord[]>;
  private readonly commits: Coalescer<CommitRequest, boolean>;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly fetchSize: number,
  ) {
    this.fetches = new Coalescer((requests) => this.fetchMany(requests), 64);
    this.commits = new Coalescer((requests) => this.commitMany(requests), 256);
  }

  /** Up to fetchSize records of the partition from `from` on, in offset order. */
  fetch(topic: Topic, partition: number, from: number): Promise<DeliveredRecord[]> {
    return this.fetches.submit({ topic, partition, from });
  }

  /** Compare-and-set of the group's offset: false when another member or a seek moved it. */
  commit(group: string, topic: Topic, partition: number, expected: number, next: number): Promise<boolean> {
    return this.commits.submit({ group, topic, partition, expected, next });
  }

  async committedOffset(group: string, topic: Topic, partition: number): Promise<number> {
    const { rows } = await this.pool.query<{ next_offset: string }>(
      `WITH created AS (
         INSERT INTO "${this.schema}".consumer_offsets (group_name, topic, partition) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING next_offset)
       SELECT next_offset FROM created
       UNION ALL
       SELECT next_offset FROM "${this.schema}".consumer_offsets WHERE group_name = $1 AND topic = $2 AND partition = $3`,
      [group, topic, partition],
    );
    return Number(rows[0]?.next_offset ?? 0);
  }

  private async fetchMany(requests: FetchRequest[]): Promise<DeliveredRecord[][]> {
    const distinct = new Map<string, { request: FetchRequest; records: DeliveredRecord[] }>();
    for (const request of requests) distinct.set(fetchKey(request), { request, records: [] });
    const list = [...distinct.values()];
    const { rows } = await this.pool.query<EventRow>(
      `SELECT p.i, e."offset", e.event_id, e.key, e.headers, e.value
       FROM unnest($1::text[], $2::int[], $3::bigint[]) WITH ORDINALITY AS p(topic, partition, from_offset, i)
       CROSS JOIN LATERAL (
         SELECT "offset", event_id, key, headers, value FROM "${this.schema}".events e
         WHERE e.topic = p.topic AND e.partition = p.partition AND e."offset" >= p.from_offset
         ORDER BY e."offset" LIMIT $4) e
       ORDER BY p.i, e."offset"`,
      [
        list.map((l) => l.request.topic),
        list.map((l) => l.request.partition),
        list.map((l) => l.request.from),
        this.fetchSize,
      ],
    );
    for (const row of rows) {
      const target = list[Number(row.i) - 1]!;
      target.records.push({
        topic: target.request.topic,
        partition: target.request.partition,
        offset: Number(row.offset),
        key: row.key,
        eventId: row.event_id,
        headers: pickHeaders(row.headers),
        value: row.value,
      });
    }
    // Groups share the rows; the arrays are only read.
    return requests.map((request) => distinct.get(fetchKey(request))!.records);
  }

  private async commitMany(requests: CommitRequest[]): Promise<boolean[]> {
    const { rows } = await this.pool.query<{ group_name: string; topic: string; partition: number }>(
      `UPDATE "${this.schema}".consumer_offsets o SET next_offset = c.next_offset, updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::bigint[]) AS c(group_name, topic, partition, expected, next_offset)
       WHERE o.group_name = c.group_name AND o.topic = c.topic AND o.partition = c.partition AND o.next_offset = c.expected
       RETURNING o.group_name, o.topic, o.partition`,
      [
        requests.map((r) => r.group),
        requests.map((r) => r.topic),
        requests.map((r) => r.partition),
        requests.map((r) => r.expected),
        requests.map((r) => r.next),
      ],
    );
    const moved = new Set(rows.map((row) => `${row.group_name}\u0000${row.topic}\u0000${row.partition}`));
    return requests.map((r) => moved.has(`${r.group}\u0000${r.topic}\u0000${r.partition}`));
  }
}

function fetchKey(request: FetchRequest): string {
  return `${request.topic}/${request.partition}/${request.from}`;
}
