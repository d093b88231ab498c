import { Client } from 'pg';
import { register } from 'prom-client';
import {
  EventBus,
  PostgresLogTransport,
  ProcessedEventStore,
  toOutgoingRecord,
  type DeliveredRecord,
} from '@personae/messaging';
import { databaseUrl, delay, turn, uniqueName, waitFor } from './support';

/** Behaviour particular to the Postgres log: leases, commit-order offsets, replay, lag. */
describe('Postgres log', () => {
  let schema: string;
  const closers: (() => Promise<void>)[] = [];
  const open = async (
    options: { rebalanceIntervalMs?: number; retentionMs?: number } = {},
  ): Promise<PostgresLogTransport> => {
    const transport = await PostgresLogTransport.open({
      url: databaseUrl(),
      schema,
      partitions: 4,
      poolSize: 4,
      ...options,
    });
    closers.push(() => transport.close());
    return transport;
  };

  beforeEach(() => {
    schema = uniqueName('pglog');
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('splits a group’s partitions between live members and hands them over when one leaves', async () => {
    const [a, b] = [await open({ rebalanceIntervalMs: 200 }), await open({ rebalanceIntervalMs: 200 })];
    const handle = async (): Promise<void> => undefined;
    const memberA = (await a.subscribe({
      group: 'split',
      topics: ['training.conversation'],
      handle,
    })) as unknown as { heldPartitions(): string[] };
    const subscriptionB = await b.subscribe({ group: 'split', topics: ['training.conversation'], handle });
    const memberB = subscriptionB as unknown as { heldPartitions(): string[] };
    const all = [0, 1, 2, 3].map((p) => `training.conversation/${p}`);
    await waitFor(
      () => memberA.heldPartitions().length === 2 && memberB.heldPartitions().length === 2,
      5000,
      () => `A ${memberA.heldPartitions().join()} B ${memberB.heldPartitions().join()}`,
    );
    expect([...memberA.heldPartitions(), ...memberB.heldPartitions()].sort()).toEqual(all);
    await subscriptionB.close();
    await waitFor(
      () => memberA.heldPartitions().length === 4,
      5000,
      () => `A holds ${memberA.heldPartitions().join()}`,
    );
  });

  it('refuses a second member of one group in the same process', async () => {
    const transport = await open();
    const handle = async (): Promise<void> => undefined;
    await transport.subscribe({ group: 'once', topics: ['training.session'], handle });
    await expect(
      transport.subscribe({ group: 'once', topics: ['training.session'], handle }),
    ).rejects.toThrow(/already consumes/);
  });

  it('gives a partition its offsets in commit order: an append waits for an earlier uncommitted one', async () => {
    const transport = await open();
    await transport.append([toOutgoingRecord(turn('ordered', 0))]);
    const partition = transport.partitionOf('ordered');
    const blocker = new Client({ connectionString: databaseUrl() });
    await blocker.connect();
    try {
      // Another appender holding the partition's head row, mid-transaction.
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT * FROM "${schema}".partition_heads WHERE topic = 'training.conversation' AND partition = $1 FOR UPDATE`,
        [partition],
      );
      let appended = false;
      const append = transport.append([toOutgoingRecord(turn('ordered', 1))]).then(() => (appended = true));
      await delay(300);
      expect(appended).toBe(false);
      await blocker.query(
        `INSERT INTO "${schema}".events (topic, partition, "offset", event_id, key, headers, value)
        VALUES ('training.conversation', $1, 1, gen_random_uuid(), 'ordered', '{}', '{}')`,
        [partition],
      );
      await blocker.query(
        `UPDATE "${schema}".partition_heads SET next_offset = 2 WHERE topic = 'training.conversation' AND partition = $1`,
        [partition],
      );
      await blocker.query('COMMIT');
      await append;
    } finally {
      await blocker.end();
    }
    const records = await transport.read('training.conversation', partition, 0);
    expect(records.map((record) => record.offset)).toEqual([0, 1, 2]);
    expect(records[2]!.key).toBe('ordered');
  });

  it('replays a partition from an offset, and seek moves a running group back', async () => {
    const transport = await open();
    const events = Array.from({ length: 10 }, (_, i) => turn('replay', i));
    await transport.append(events.map(toOutgoingRecord));
    const partition = transport.partitionOf('replay');
    const replayed = await transport.read('training.conversation', partition, 6);
    expect(replayed.map((record) => record.eventId)).toEqual(events.slice(6).map((event) => event.id));

    const delivered: DeliveredRecord[] = [];
    await transport.subscribe({
      group: 'rewind',
      topics: ['training.conversation'],
      handle: async ({ records }) => void delivered.push(...records),
    });
    await waitFor(
      () => delivered.length >= 10,
      5000,
      () => `delivered ${delivered.length}`,
    );
    await transport.seek('rewind', 'training.conversation', partition, 7);
    await waitFor(
      () => delivered.length >= 13,
      5000,
      () => `delivered ${delivered.length} after seek`,
    );
    expect(delivered.slice(10).map((record) => record.offset)).toEqual([7, 8, 9]);
  });

  it('reports consumer lag per partition, on the metrics endpoint too', async () => {
    const transport = await open();
    const bus = new EventBus(transport, await ProcessedEventStore.open(databaseUrl(), schema));
    closers.push(() => bus.close());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    const subscription = await bus.consume({
      group: 'laggard',
      handlers: {
        'training.conversation': async () => {
          await gate;
          handled++;
        },
      },
    });
    await bus.publishDirect(Array.from({ length: 5 }, (_, i) => turn('lagging', i)));
    await waitFor(
      async () => (await subscription.lag()).some((entry) => entry.lag === 5),
      5000,
      () => 'no lag of 5 reported',
    );
    const scraped = await register.getSingleMetricAsString('personae_consumer_lag');
    expect(scraped).toMatch(
      /personae_consumer_lag\{group="laggard",topic="training.conversation",partition="\d"\} 5/,
    );
    release();
    await waitFor(
      () => handled === 5,
      5000,
      () => `handled ${handled}`,
    );
    await waitFor(
      async () => (await subscription.lag()).every((entry) => entry.lag === 0),
      5000,
      () => 'lag did not drop to 0',
    );
  });

  it('prunes events and processed ids past the retention, oldest first', async () => {
    const transport = await open({ retentionMs: 60_000 });
    const events = Array.from({ length: 6 }, (_, i) => turn('retained', i));
    await transport.append(events.map(toOutgoingRecord));
    const partition = transport.partitionOf('retained');
    const pool = new Client({ connectionString: databaseUrl() });
    await pool.connect();
    try {
      await pool.query(
        `UPDATE "${schema}".events SET appended_at = now() - interval '1 hour' WHERE "offset" < 4`,
      );
      expect(await transport.prune()).toBe(4);
      const left = await transport.read('training.conversation', partition, 0);
      expect(left.map((record) => record.eventId)).toEqual(events.slice(4).map((event) => event.id));

      const store = await ProcessedEventStore.open(databaseUrl(), schema, { retentionMs: 60_000 });
      closers.push(() => store.close());
      await store.markProcessed('old-group', ['a', 'b']);
      await pool.query(
        `UPDATE "${schema}".processed_events SET processed_at = now() - interval '1 hour' WHERE event_id = 'a'`,
      );
      expect(await store.prune()).toBe(1);
      expect([...(await store.filterProcessed('old-group', ['a', 'b']))]).toEqual(['b']);
    } finally {
      await pool.end();
    }
  });
});
