import type { Pool } from 'pg';
import type { OutgoingRecord } from '../event-transport.port';
import { partitionFor } from '../partitioner';

/**
 * Appends records in one transaction through the schema's `append_events` function (see
 * its migration): offsets are gap-free per partition and become visible in commit order;
 * records whose event id the topic already holds are dropped, so a relay that re-sends
 * after a crash is harmless.
 */
export class LogAppender {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly partitions: number,
    private readonly channel: string,
  ) {}

  async append(records: readonly OutgoingRecord[]): Promise<void> {
    const unique = uniqueById(records);
    if (unique.length === 0) return;
    await this.pool.query({
      name: `append-events:${this.schema}`,
      text: `SELECT "${this.schema}".append_events($1::text[], $2::int[], $3::uuid[], $4::text[], $5::jsonb[], $6::text[], $7)`,
      values: [
        unique.map((record) => record.topic),
        unique.map((record) => partitionFor(record.key, this.partitions)),
        unique.map((record) => record.eventId),
        unique.map((record) => record.key),
        unique.map((record) => JSON.stringify(record.headers)),
        unique.map((record) => record.value),
        this.channel,
      ],
    });
  }
}

/** The function drops events already in the log; duplicates within one call are dropped here. */
function uniqueById(records: readonly OutgoingRecord[]): OutgoingRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    const id = `${record.topic}/${record.eventId.toLowerCase()}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
