/**
 * Event backbone on the Postgres log, durable commits: 1 producer, 3 consumer groups,
 * 100k events of 1 KiB. Prints sustained publish→consume throughput and end-to-end
 * latency (p50/p99) against the issue's targets: ≥ 5,000 events/s and p99 ≤ 50 ms.
 *
 *   node -r @swc-node/register bench/event-backbone.bench.ts
 *
 * Two runs on fresh logs: "max" (the producer appends as fast as appends commit: the
 * sustained throughput) and "at target" (the producer offers 5,000 events/s: the latency
 * the services see at that load). Env: BENCH_EVENTS (100000), BENCH_RATE (5000),
 * BENCH_GROUPS (3), BENCH_PARTITIONS (8, EVENT_LOG_PARTITIONS' default), BENCH_KEYS (1000
 * sessions), BENCH_RUNS (max,target). Uses DATABASE_URL, or embedded Postgres in a temp dir.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { newEvent } from '@personae/contracts';
import { startTemporaryPostgres } from '@personae/persistence';
import {
  EventBus,
  PostgresLogTransport,
  ProcessedEventStore,
  toOutgoingRecord,
  type OutgoingRecord,
} from '@personae/messaging';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 3);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 8);
const KEYS = Number(process.env.BENCH_KEYS ?? 1000);
const RUNS = (process.env.BENCH_RUNS ?? 'max,target').split(',');
const EVENT_BYTES = 1024;
const TARGET_THROUGHPUT = 5000;
const TARGET_P99_MS = 50;
/** Unthrottled: appends in flight, and events per append call. */
const WINDOW = 8;
const CHUNK = 250;

interface Result {
  throughput: number;
  p50: number;
  p99: number;
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const database = await openDatabase();
  try {
    const records = buildRecords();
    console.log(
      `event backbone: Postgres log, ${PARTITIONS} partitions, ${EVENTS} events of ${records[0]!.value.length} B, 1 producer, ${GROUPS} consumer groups`,
    );
    for (const run of RUNS) {
      const rate = run === 'max' ? 0 : RATE;
      await measure(database.url, records, rate);
      await checkpoint(database.url);
    }
  } finally {
    await database.stop();
  }
}

async function measure(url: string, records: OutgoingRecord[], rate: number): Promise<Result> {
  const schema = `messaging_bench_${randomBytes(3).toString('hex')}`;
  const transport = await PostgresLogTransport.open({ url, schema, partitions: PARTITIONS });
  const bus = new EventBus(transport, await ProcessedEventStore.open(url, schema));
  const stats = new Client({ connectionString: url });
  await stats.connect();
  try {
    const publishedAt = new Float64Array(EVENTS);
    const latencies = Array.from({ length: GROUPS }, () => new Float64Array(EVENTS));
    const deliveries = Array.from({ length: GROUPS }, () => new Uint16Array(EVENTS));
    let consumed = 0;
    let lastConsumedAt = 0;
    let done!: () => void;
    const allConsumed = new Promise<void>((resolve) => (done = resolve));
    for (let g = 0; g < GROUPS; g++) {
      await bus.consume({
        group: `bench-${g}`,
        handlers: {
          'training.conversation': (event) => {
            const now = performance.now();
            const index = Number(event.payload.event.case === 'turn' ? event.payload.event.value.turnId : -1);
            latencies[g]![index] = now - publishedAt[index]!;
            deliveries[g]![index]!++;
            lastConsumedAt = now;
            if (++consumed === EVENTS * GROUPS) done();
          },
        },
      });
    }

    const transactionsBefore = await transactions(stats);
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const appendLatencies = await produce(bus, records, publishedAt, rate);
    const producedAt = performance.now();
    await allConsumed;
    const cpu = process.cpuUsage(cpuBefore);
    loopDelay.disable();
    await new Promise((resolve) => setTimeout(resolve, 600)); // statistics are flushed every 500 ms
    const seconds = (lastConsumedAt - started) / 1000;
    const transactionRate = ((await transactions(stats)) - transactionsBefore) / seconds;

    const throughput = EVENTS / seconds;
    const all = percentiles(latencies.flatMap((list) => Array.from(list)));
    const appends = percentiles(appendLatencies);
    const missing = deliveries.reduce((sum, list) => sum + list.filter((n) => n === 0).length, 0);
    const twice = deliveries.reduce((sum, list) => sum + list.filter((n) => n > 1).length, 0);
    const ok = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
    const appendSeconds = (producedAt - started) / 1000;
    console.log(
      `\n[${rate > 0 ? `at target: producer offers ${rate} events/s` : 'max: producer appends as fast as appends commit'}]`,
    );
    console.log(
      `  appended ${EVENTS} in ${appendSeconds.toFixed(2)} s (${Math.round(EVENTS / appendSeconds)} events/s); durable append p50 ${appends(0.5).toFixed(1)} ms, p99 ${appends(0.99).toFixed(1)} ms`,
    );
    // Throughput is judged when the producer is not holding back; latency at the target load.
    const throughputVerdict =
      rate > 0
        ? `${throughput >= rate * 0.98 ? 'kept up with' : 'FELL BEHIND'} the offered ${rate}/s`
        : `target ≥ ${TARGET_THROUGHPUT}/s: ${ok(throughput >= TARGET_THROUGHPUT)}`;
    const latencyVerdict =
      rate > 0
        ? `target p99 ≤ ${TARGET_P99_MS} ms: ${ok(all(0.99) <= TARGET_P99_MS)}`
        : 'saturated: latency is queueing';
    console.log(
      `  sustained publish→consume: ${Math.round(throughput)} events/s (${Math.round(throughput * GROUPS)} deliveries/s) — ${throughputVerdict}`,
    );
    console.log(
      `  end-to-end latency: p50 ${all(0.5).toFixed(1)} ms, p90 ${all(0.9).toFixed(1)} ms, p99 ${all(0.99).toFixed(1)} ms, max ${all(1).toFixed(1)} ms — ${latencyVerdict}`,
    );
    console.log(
      `  ${missing} missing, ${twice} delivered twice; node ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores, event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms; ${Math.round(transactionRate)} Postgres transactions/s`,
    );
    if (missing > 0 || twice > 0) process.exitCode = 1;
    return { throughput, p50: all(0.5), p99: all(0.99) };
  } finally {
    await stats.end();
    await bus.close();
  }
}

/** The producer: a window of appends in flight (max), or what is due every 5 ms (rate). */
async function produce(
  bus: EventBus,
  records: OutgoingRecord[],
  publishedAt: Float64Array,
  rate: number,
): Promise<number[]> {
  const appendLatencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (from: number, to: number): Promise<void> => {
    const now = performance.now();
    for (let i = from; i < to; i++) publishedAt[i] = now;
    const append = bus
      .append(records.slice(from, to))
      .then(() => void appendLatencies.push(performance.now() - now));
    inFlight.add(append);
    void append.finally(() => inFlight.delete(append));
    while (inFlight.size >= WINDOW) await Promise.race(inFlight);
  };
  const started = performance.now();
  let sent = 0;
  while (sent < EVENTS) {
    if (rate > 0) {
      const due = Math.min(EVENTS, Math.floor(((performance.now() - started) / 1000) * rate));
      if (due > sent) await send(sent, due);
      sent = Math.max(sent, due);
      await new Promise((resolve) => setTimeout(resolve, 5));
    } else {
      const to = Math.min(EVENTS, sent + CHUNK);
      await send(sent, to);
      sent = to;
    }
  }
  await Promise.all(inFlight);
  return appendLatencies;
}

/** 1 KiB envelopes (conversation turns), keyed by session so the partitions share the load. */
function buildRecords(): OutgoingRecord[] {
  const records: OutgoingRecord[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const make = (content: string): OutgoingRecord =>
      toOutgoingRecord(
        newEvent({
          topic: 'training.conversation',
          key: `session-${i % KEYS}`,
          tenantId: 'tenant-bench',
          actor: { kind: 'trainer', id: 'trainer-bench' },
          sessionId: `session-${i % KEYS}`,
          payload: { event: { case: 'turn', value: { turnId: String(i), role: 'trainer', content } } },
        }),
      );
    const probe = make('x');
    records.push(make('x'.repeat(Math.max(1, EVENT_BYTES - probe.value.length + 1))));
  }
  return records;
}

function percentiles(values: ArrayLike<number>): (q: number) => number {
  const sorted = Float64Array.from(values).sort();
  return (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/**
 * Between runs, as a long-running database does every few minutes: later WAL segments are
 * recycled instead of created (a fresh cluster zero-fills each new 16 MB segment, a
 * 60-80 ms stall of the appends that cross it on this machine's disk).
 */
async function checkpoint(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } catch (error) {
    console.log(`  (no CHECKPOINT between runs: ${(error as Error).message})`);
  } finally {
    await client.end();
  }
}

async function transactions(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(rows[0]?.n ?? 0);
}

async function openDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  return startTemporaryPostgres('personae-bench-pg-');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
