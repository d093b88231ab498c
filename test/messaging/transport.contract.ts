import type { DataSource } from 'typeorm';
import { deserializeEvent, type EventEnvelope } from '@personae/contracts';
import { openServiceDataSource } from '@personae/persistence';
import {
  EventBus,
  ProcessedEventStore,
  toOutgoingRecord,
  type DeliveredRecord,
  type EventTransport,
  type Subscription,
} from '@personae/messaging';
import { databaseUrl, delay, seqOf, turn, uniqueName, waitFor } from './support';

export interface ContractTarget {
  /** Opens a transport in `namespace`; two opens with one namespace are two processes on one bus. */
  open(namespace: string): Promise<EventTransport>;
  /** Upper bound for deliveries to settle (Kafka group joins take seconds). */
  settleMs: number;
  /** Pause after members join, before publishing, so a rebalance does not overlap the stream. */
  joinDelayMs?: number;
}

const RETRY = { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 200 };

/**
 * What every event transport must do. Runs against the Postgres log always and against
 * Kafka when one is reachable; consumers are the real idempotent consumers on top.
 */
export function describeTransportContract(name: string, target: () => ContractTarget): void {
  describe(`event transport contract: ${name}`, () => {
    let namespace: string;
    const closers: (() => Promise<void>)[] = [];

    beforeEach(() => {
      namespace = uniqueName('contract');
    });

    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
    });

    async function transport(): Promise<EventTransport> {
      const opened = await target().open(namespace);
      closers.push(() => opened.close());
      return opened;
    }

    async function bus(): Promise<EventBus> {
      const opened = new EventBus(
        await transport(),
        await ProcessedEventStore.open(databaseUrl(), namespace),
        RETRY,
      );
      closers.push(() => opened.close());
      return opened;
    }

    const settle = (): number => target().settleMs;
    const joined = (): Promise<void> => delay(target().joinDelayMs ?? 0);

    it('delivers every event, in order per key, across appends awaited in turn', async () => {
      const producer = await bus();
      const keys = ['session-a', 'session-b', 'session-c', 'session-d'];
      const received = new Map<string, number[]>();
      await producer.consume({
        group: 'order',
        handlers: {
          'training.conversation': (event) => {
            received.set(event.key, [...(received.get(event.key) ?? []), seqOf(event)]);
          },
        },
      });
      await joined();
      for (let round = 0; round < 5; round++) {
        // Keys interleave within each append; each key's turns must still arrive 0, 1, 2...
        const events = Array.from({ length: 5 }, (_, i) =>
          keys.map((key) => turn(key, round * 5 + i)),
        ).flat();
        await producer.publishDirect(events);
      }
      const total = (): number => [...received.values()].reduce((sum, list) => sum + list.length, 0);
      await waitFor(
        () => total() >= 100,
        settle(),
        () => `received ${total()} of 100`,
      );
      await delay(100);
      for (const key of keys) expect(received.get(key)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    });

    it('gives each group every event and each event to one member of a group', async () => {
      const [memberOne, memberTwo, other] = [await bus(), await bus(), await bus()];
      const handledBy = { one: [] as string[], two: [] as string[], other: [] as string[] };
      const collect = (list: string[]) => ({
        'training.conversation': (event: EventEnvelope) => void list.push(event.id),
      });
      await memberOne.consume({ group: 'shared', handlers: collect(handledBy.one) });
      await memberTwo.consume({ group: 'shared', handlers: collect(handledBy.two) });
      await other.consume({ group: 'other', handlers: collect(handledBy.other) });
      await joined();
      const events = Array.from({ length: 60 }, (_, i) => turn(`session-${i % 12}`, i));
      await memberOne.publishDirect(events);
      const ids = events.map((event) => event.id).sort();
      const shared = (): string[] => [...handledBy.one, ...handledBy.two];
      await waitFor(
        () => shared().length >= 60 && handledBy.other.length >= 60,
        settle(),
        () => `shared ${shared().length}, other ${handledBy.other.length}`,
      );
      await delay(200);
      expect(shared().sort()).toEqual(ids);
      expect([...handledBy.other].sort()).toEqual(ids);
    });

    it('redelivers what a crashed member had not committed, and nothing it had', async () => {
      const first = await transport();
      const producer = await bus();
      const committed: string[] = [];
      const seen: string[] = [];
      let crashed = false;
      const ids = (records: readonly DeliveredRecord[]): string[] => records.map((record) => record.eventId);
      const crashing: Subscription = await first.subscribe({
        group: 'crash',
        topics: ['training.conversation'],
        handle: async ({ records }) => {
          seen.push(...ids(records));
          if (records.some((record) => deserializeEvent(record.value).key === 'after')) {
            crashed = true;
            throw new Error('simulated crash before commit');
          }
          committed.push(...ids(records));
        },
      });
      await joined();
      const before = Array.from({ length: 10 }, (_, i) => turn('before', i));
      await producer.publishDirect(before);
      await waitFor(
        () => committed.length >= 10,
        settle(),
        () => `committed ${committed.length} of 10`,
      );
      const after = Array.from({ length: 10 }, (_, i) => turn('after', i));
      await producer.publishDirect(after);
      await waitFor(
        () => crashed,
        settle(),
        () => 'the member never received the second batch',
      );
      await crashing.close();

      const second = await transport();
      const redelivered: string[] = [];
      await second.subscribe({
        group: 'crash',
        topics: ['training.conversation'],
        handle: async ({ records }) => void redelivered.push(...ids(records)),
      });
      await waitFor(
        () => redelivered.length >= 10,
        settle(),
        () => `redelivered ${redelivered.length} of 10`,
      );
      await delay(200);
      expect(seen).toEqual(expect.arrayContaining(after.map((event) => event.id)));
      expect(redelivered).toEqual(after.map((event) => event.id));
      expect(committed).toEqual(before.map((event) => event.id));
    });

    it('handles an event once per group when it is delivered twice', async () => {
      const consumer = await bus();
      const handled: string[] = [];
      await consumer.consume({
        group: 'dedupe',
        handlers: { 'training.conversation': (event) => void handled.push(event.id) },
      });
      await joined();
      const twice = turn('dup', 0);
      const once = turn('dup', 1);
      // A relay that crashed between append and delete sends the same event again.
      await consumer.transport.append([toOutgoingRecord(twice)]);
      await consumer.transport.append([toOutgoingRecord(twice), toOutgoingRecord(once)]);
      await waitFor(
        () => handled.includes(once.id),
        settle(),
        () => `handled ${handled.length}`,
      );
      await delay(200);
      expect(handled).toEqual([twice.id, once.id]);
    });

    /** A schema of its own with an `applied` table, for the exactly-once tests' effects. */
    const effectsTable = async (): Promise<{ effects: DataSource; schema: string }> => {
      const effects = await openServiceDataSource(
        databaseUrl(),
        { schema: uniqueName('effects'), migrations: [] },
        2,
      );
      closers.push(() => effects.destroy());
      const schema = (effects.options as { schema: string }).schema;
      await effects.query(`CREATE TABLE "${schema}".applied (event_id text NOT NULL)`);
      return { effects, schema };
    };

    it('commits effects made with applyOnce exactly once, even when the handler then fails and is retried', async () => {
      const consumer = await bus();
      const { effects, schema } = await effectsTable();
      const attempts: number[] = [];
      const event = turn('effects', 0);
      await consumer.consume({
        group: 'effects',
        handlers: {
          'training.conversation': async (received, context) => {
            attempts.push(context.attempt);
            await context.applyOnce(effects, (manager) =>
              manager.query(`INSERT INTO "${schema}".applied VALUES ($1)`, [received.id]),
            );
            if (context.attempt === 1) throw new Error('failed after the effect committed');
          },
        },
      });
      await joined();
      await consumer.publishDirect([event]);
      await waitFor(
        () => attempts.length >= 2,
        settle(),
        () => `attempts ${attempts.join(',')}`,
      );
      await delay(200);
      expect(attempts).toEqual([1, 2]);
      expect(await effects.query(`SELECT event_id FROM "${schema}".applied`)).toEqual([
        { event_id: event.id },
      ]);
    });

    it('retries with backoff, then dead-letters the event with its error and moves on in order', async () => {
      const consumer = await bus();
      const attemptsAt: number[] = [];
      const handled: number[] = [];
      const deadLetters: EventEnvelope<'deadletter'>[] = [];
      const poison = turn('poison-key', 1);
      await consumer.consume({
        group: 'fragile',
        handlers: {
          'training.conversation': (event) => {
            if (event.id === poison.id) {
              attemptsAt.push(Date.now());
              throw new Error('cannot digest this turn');
            }
            handled.push(seqOf(event));
          },
        },
      });
      await consumer.consume({
        group: 'dead-letter-reader',
        handlers: { deadletter: (event) => void deadLetters.push(event) },
      });
      await joined();
      await consumer.publishDirect([turn('poison-key', 0), poison, turn('poison-key', 2)]);
      await waitFor(
        () => handled.length >= 2 && deadLetters.length >= 1,
        settle() + 2000,
        () => `handled ${handled.join(',')}; dead ${deadLetters.length}`,
      );
      await delay(200);
      expect(handled).toEqual([0, 2]);
      expect(attemptsAt).toHaveLength(RETRY.maxAttempts);
      // Equal-jitter backoff: at least half the exponential delay between attempts.
      expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(RETRY.baseDelayMs / 2 - 5);
      expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(RETRY.baseDelayMs - 5);
      expect(deadLetters).toHaveLength(1);
      const letter = deadLetters[0]!;
      expect(letter.payload.event.case).toBe('deadLettered');
      const value = letter.payload.event.value!;
      expect(value).toMatchObject({
        originalTopic: 'training.conversation',
        originalEventId: poison.id,
        consumerGroup: 'fragile',
        attempts: 3,
      });
      expect(value.error).toContain('cannot digest this turn');
      expect(deserializeEvent(value.original).id).toBe(poison.id);
      expect(letter.causationId).toBe(poison.id);
    });

    it('dead-letters an invalid record at once, without calling the handler', async () => {
      const consumer = await bus();
      const handled: string[] = [];
      const deadLetters: EventEnvelope<'deadletter'>[] = [];
      await consumer.consume({
        group: 'strict',
        handlers: { 'training.conversation': (event) => void handled.push(event.id) },
      });
      await consumer.consume({
        group: 'strict-dead',
        handlers: { deadletter: (event) => void deadLetters.push(event) },
      });
      await joined();
      const bad = toOutgoingRecord(turn('bad', 0));
      const wire = JSON.parse(bad.value) as { payload: { turn: Record<string, unknown> } };
      wire.payload.turn.surprise = 'a field the contract does not know';
      const good = turn('bad', 1);
      await consumer.transport.append([{ ...bad, value: JSON.stringify(wire) }, toOutgoingRecord(good)]);
      await waitFor(
        () => handled.length >= 1 && deadLetters.length >= 1,
        settle(),
        () => `handled ${handled.length}, dead ${deadLetters.length}`,
      );
      expect(handled).toEqual([good.id]);
      const value = deadLetters[0]!.payload.event.value!;
      expect(value).toMatchObject({ originalEventId: bad.eventId, consumerGroup: 'strict', attempts: 1 });
      expect(value.error).toMatch(/InvalidEventError/);
    });

    it('hands a batch handler up to maxBatch events of one partition per call, in order', async () => {
      const consumer = await bus();
      const calls: number[][] = [];
      const partitions = new Set<string>();
      await consumer.consume({
        group: 'batches',
        maxBatch: 8,
        batchHandlers: {
          'training.conversation': (events, context) => {
            expect(events.map((event) => event.id)).toEqual(context.records.map((record) => record.eventId));
            for (const record of context.records) partitions.add(`${record.topic}/${record.partition}`);
            calls.push(events.map(seqOf));
          },
        },
      });
      await joined();
      await consumer.publishDirect(Array.from({ length: 30 }, (_, i) => turn('batched', i)));
      await waitFor(
        () => calls.flat().length >= 30,
        settle(),
        () => `received ${calls.flat().length} of 30`,
      );
      await delay(200);
      expect(calls.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(Math.max(...calls.map((call) => call.length))).toBeLessThanOrEqual(8);
      expect(calls.length).toBeLessThan(30); // batched, not one by one
      expect(partitions.size).toBe(1);
    });

    it('commits a batch with applyBatchOnce exactly once, even when the handler then fails and is retried', async () => {
      const consumer = await bus();
      const { effects, schema } = await effectsTable();
      const fresh: number[] = [];
      const attempts: number[] = [];
      const events = Array.from({ length: 6 }, (_, i) => turn('batch-effects', i));
      await consumer.consume({
        group: 'batch-effects',
        batchHandlers: {
          'training.conversation': async (received, context) => {
            attempts.push(context.attempt);
            const applied = await context.applyBatchOnce(effects, async (manager, list) => {
              await manager.query(`INSERT INTO "${schema}".applied SELECT unnest($1::text[])`, [
                list.map((event) => event.id),
              ]);
            });
            fresh.push(applied.length);
            if (context.attempt === 1) throw new Error('failed after the effects committed');
          },
        },
      });
      await joined();
      await consumer.publishDirect(events);
      await waitFor(
        () => fresh.reduce((sum, n) => sum + n, 0) >= 6 && attempts.filter((a) => a === 2).length >= 1,
        settle(),
        () => `attempts ${attempts.join(',')}, fresh ${fresh.join(',')}`,
      );
      await delay(300);
      // Each retry found its whole batch already applied: nothing twice.
      expect(fresh.reduce((sum, n) => sum + n, 0)).toBe(6);
      const rows: { event_id: string }[] = await effects.query(`SELECT event_id FROM "${schema}".applied`);
      expect(rows.map((row) => row.event_id).sort()).toEqual(events.map((event) => event.id).sort());
    });

    it('retries a failing batch, then isolates the poison event: only it is dead-lettered, the rest handled in order', async () => {
      const consumer = await bus();
      const handled: number[] = [];
      const isolatedCalls: number[] = [];
      const deadLetters: EventEnvelope<'deadletter'>[] = [];
      const events = Array.from({ length: 5 }, (_, i) => turn('batch-poison', i));
      const poison = events[2]!;
      await consumer.consume({
        group: 'batch-fragile',
        batchHandlers: {
          'training.conversation': (received, context) => {
            if (context.isolating) isolatedCalls.push(received.length);
            if (received.some((event) => event.id === poison.id)) throw new Error('cannot digest this turn');
            handled.push(...received.map(seqOf));
          },
        },
      });
      await consumer.consume({
        group: 'batch-dead-reader',
        handlers: { deadletter: (event) => void deadLetters.push(event) },
      });
      await joined();
      await consumer.publishDirect(events);
      await waitFor(
        () => handled.length >= 4 && deadLetters.length >= 1,
        settle() + 4000,
        () => `handled ${handled.join(',')}; dead ${deadLetters.length}`,
      );
      await delay(200);
      expect(handled).toEqual([0, 1, 3, 4]);
      expect(isolatedCalls.every((length) => length === 1)).toBe(true);
      expect(deadLetters).toHaveLength(1);
      expect(deadLetters[0]!.payload.event.value).toMatchObject({
        originalEventId: poison.id,
        consumerGroup: 'batch-fragile',
        attempts: RETRY.maxAttempts,
      });
    });

    it('dead-letters an invalid record of a batch at once and hands over the rest in order', async () => {
      const consumer = await bus();
      const calls: number[][] = [];
      const deadLetters: EventEnvelope<'deadletter'>[] = [];
      await consumer.consume({
        group: 'batch-strict',
        batchHandlers: { 'training.conversation': (events) => void calls.push(events.map(seqOf)) },
      });
      await consumer.consume({
        group: 'batch-strict-dead',
        handlers: { deadletter: (event) => void deadLetters.push(event) },
      });
      await joined();
      const bad = toOutgoingRecord(turn('batch-bad', 1));
      const wire = JSON.parse(bad.value) as { payload: { turn: Record<string, unknown> } };
      wire.payload.turn.surprise = 'a field the contract does not know';
      await consumer.transport.append([
        toOutgoingRecord(turn('batch-bad', 0)),
        { ...bad, value: JSON.stringify(wire) },
        toOutgoingRecord(turn('batch-bad', 2)),
        toOutgoingRecord(turn('batch-bad', 3)),
      ]);
      await waitFor(
        () => calls.flat().length >= 3 && deadLetters.length >= 1,
        settle(),
        () => `handled ${calls.flat().length}, dead ${deadLetters.length}`,
      );
      await delay(200);
      expect(calls.flat()).toEqual([0, 2, 3]);
      expect(deadLetters[0]!.payload.event.value).toMatchObject({
        originalEventId: bad.eventId,
        consumerGroup: 'batch-strict',
        attempts: 1,
      });
    });
  });
}
