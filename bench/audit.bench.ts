/**
 * Audit ledger (issue 8). Targets on this machine: ingest ≥ 10,000 events/s; verify 1M entries
 * ≤ 10 s; filtered query p99 ≤ 50 ms at 1M entries.
 *
 *   node -r @swc-node/register bench/audit.bench.ts
 *
 * 1. Ingest, as the consumer drives it: BENCH_INGEST events (a training-session mix: turns and
 *    tool runs carry PII, so a third of the events are envelope-encrypted) are first appended to a
 *    Postgres event log of 8 partitions, then the `audit-ledger` group consumes them into the
 *    ledger through AppendEvents.executeBatch (a batch consumer, as LedgerConsumer: one call per
 *    partition fetch, concurrent batches folded into one transaction per flush).
 *    Also the append path alone with 32 concurrent callers (no bus), and bulk replay (executeMany).
 * 2. A ledger of BENCH_ENTRIES entries in one tenant's chain (built with the bulk path, a signed
 *    checkpoint every 100,000), then `VerifyLedger` over all of it: every hash, every checkpoint's
 *    signature, Merkle root and chain head (BENCH_RUNS runs, median).
 * 3. Filtered queries at that size (persona version or name, session, actor, type, decision +
 *    override, correlation, a time window, combined, a timeline page), ≤ 100 entries a page.
 *
 * Uses DATABASE_URL's server (a database of its own, dropped at the end) or embedded Postgres.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { newEvent, type EventEnvelope, type NewEvent, type Topic } from '@personae/contracts';
import { generateKekConfigItem, parseKekConfig } from '@personae/crypto';
import {
  EventBus,
  EventPublisher,
  PostgresLogTransport,
  ProcessedEventStore,
  toOutgoingRecord,
} from '@personae/messaging';
import { openServiceDataSource, startTemporaryPostgres } from '@personae/persistence';
import { parseEntryFilter } from '../libs/audit/domain/entry-filter';
import { LedgerVerifier } from '../libs/audit/domain/ledger-verifier';
import { LEDGER_TOPICS } from '../libs/audit/events/ledger.consumer';
import { LedgerKeys } from '../libs/audit/keys/ledger-keys';
import { PiiDataKeys } from '../libs/audit/keys/pii-data-keys';
import { LedgerQueries } from '../libs/audit/store/ledger-queries';
import { LedgerRepository } from '../libs/audit/store/ledger.repository';
import { AUDIT_MIGRATIONS } from '../libs/audit/store/migrations';
import { AppendEvents } from '../libs/audit/use-cases/append-events.use-case';
import { CreateCheckpoints } from '../libs/audit/use-cases/create-checkpoints.use-case';
import { QueryEntries } from '../libs/audit/use-cases/query-entries.query';
import { VerifyLedger } from '../libs/audit/use-cases/verify-ledger.use-case';

const INGEST = Number(process.env.BENCH_INGEST ?? 50_000);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2000);
const PARTITIONS = 8;
const CHECKPOINT_EVERY = 100_000;
const TARGET_INGEST = 10_000;
const TARGET_VERIFY_S = 10;
const TARGET_QUERY_P99_MS = 50;
const PERSONAS = ['biology_researcher', 'legal_helper', 'support_agent', 'tutor'];

const ok = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Event i of a tenant's stream: sessions of 20 events, then a seal, decisions and executions. */
function eventAt(i: number, tenantId: string): NewEvent<Topic> {
  const session = Math.floor(i / 20);
  const sessionId = `session-${session}`;
  const trainer = { kind: 'trainer' as const, id: `trainer-${session % 97}` };
  const persona = PERSONAS[session % PERSONAS.length]!;
  const version = 1 + (session % 25);
  const common = { tenantId, sessionId, key: sessionId, actor: trainer, correlationId: `corr-${session}` };
  const step = i % 20;
  const text = `Turn ${i}: the trainer explains how ${persona} should cite sources; contact me at person${i % 1000}@example.com.`;
  if (step === 0)
    return {
      ...common,
      topic: 'training.session',
      payload: {
        event: {
          case: 'started',
          value: { sessionId, trainerId: trainer.id, personaName: persona, mode: 'TRAINING' },
        },
      },
    };
  if (step <= 8)
    return {
      ...common,
      topic: 'training.conversation',
      payload: {
        event: {
          case: 'turn',
          value: {
            turnId: `t${i}`,
            role: step % 2 ? 'trainer' : 'agent',
            content: text,
            model: 'gpt-x',
            tokensIn: 120,
            tokensOut: 80,
          },
        },
      },
    };
  if (step <= 10)
    return {
      ...common,
      topic: 'training.tools',
      payload: {
        event: {
          case: 'run',
          value: {
            runId: `r${i}`,
            tool: 'search',
            inputJson: '{"q":"mitosis"}',
            outputJson: '{"hits":3}',
            status: 'succeeded',
            durationMs: 40,
            invokedBy: 'agent',
          },
        },
      },
    };
  if (step === 11)
    return {
      ...common,
      topic: 'training.session',
      payload: {
        event: {
          case: 'closed',
          value: {
            sessionId,
            trainerId: trainer.id,
            archiveRef: `archives/${session}`,
            archiveSha256: 'ab'.repeat(32),
            eventCount: 10,
          },
        },
      },
    };
  const ref = `${persona}.v${version}`;
  const served = {
    ...common,
    sessionId: '',
    personaRef: ref,
    actor: { kind: 'orchestrator' as const, id: 'apikey:runtime' },
  };
  if (step === 12)
    return {
      ...served,
      topic: 'persona.lifecycle',
      key: persona,
      actor: { kind: 'signer', id: 'signer-1' },
      payload: {
        event: {
          case: 'sealed',
          value: {
            personaName: persona,
            version,
            packSha256: 'cd'.repeat(32),
            keyId: 'ef'.repeat(32),
            draftId: `draft-${session}`,
            trainingSessions: [sessionId],
          },
        },
      },
    };
  if (step <= 15)
    return {
      ...served,
      topic: 'governance.decisions',
      key: `d${i}`,
      payload: {
        event: {
          case: 'decision',
          value: {
            decisionId: `d${i}`,
            subjectKind: 'action',
            subject: 'answer',
            outcome: step === 15 ? 'deny' : 'allow',
            override: i % 7 === 0,
            ruleIds: ['r1'],
          },
        },
      },
    };
  return {
    ...served,
    topic: 'runtime.executions',
    key: `e${i}`,
    payload: {
      event: {
        case: 'completed',
        value: {
          executionId: `e${i}`,
          instanceId: `i${session}`,
          personaRef: ref,
          packSha256: 'cd'.repeat(32),
          action: 'answer',
          outcome: 'completed',
          latencyMs: 300,
          decisionIds: [`d${i - 1}`],
        },
      },
    },
  };
}

function events(count: number, tenantId: string, base = Date.now()): EventEnvelope[] {
  return Array.from({ length: count }, (_, i) => newEvent(eventAt(i, tenantId), new Date(base + i)));
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const server = process.env.DATABASE_URL ? undefined : await startTemporaryPostgres('audit-bench-');
  const baseUrl = process.env.DATABASE_URL ?? server!.url;
  const name = `audit_bench_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const dataSource = await openServiceDataSource(
    url.toString(),
    { schema: 'audit', migrations: AUDIT_MIGRATIONS },
    8,
  );
  try {
    const ring = parseKekConfig(generateKekConfigItem('bench'));
    const ledger = new LedgerRepository(dataSource);
    const append = new AppendEvents(ledger, new PiiDataKeys(dataSource, ring));
    const keys = new LedgerKeys(dataSource, ring);
    const checkpoints = new CreateCheckpoints(ledger, keys, new EventPublisher());
    console.log(
      `audit ledger bench — Node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    // 1. Ingest, with the consumer's durability on the Postgres log (see IngestDurability).
    append.useDurability('wal-ordered');
    const ingestEvents = events(INGEST, 'ingest-bus');
    const perEvent = await ingestThroughBus(url.toString(), append, ingestEvents);
    const direct = events(INGEST, 'ingest-direct');
    let started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < direct.length) await append.execute(direct[next++]!);
      }),
    );
    const directRate = INGEST / ((performance.now() - started) / 1000);
    append.useDurability('durable');
    const durable = events(INGEST / 5, 'ingest-durable');
    started = performance.now();
    next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < durable.length) await append.execute(durable[next++]!);
      }),
    );
    const durableRate = durable.length / ((performance.now() - started) / 1000);
    console.log(`\n[ingest] ${INGEST} events, a third with PII sealed into the vault`);
    console.log(
      `  through the event log (8 partitions, group audit-ledger): ${Math.round(perEvent)} events/s — target ≥ ${TARGET_INGEST}/s: ${ok(perEvent >= TARGET_INGEST)}`,
    );
    console.log(
      `  append path alone, 32 concurrent callers, WAL-ordered: ${Math.round(directRate)} events/s`,
    );
    console.log(
      `  the same, every commit durable (as with Kafka):        ${Math.round(durableRate)} events/s`,
    );

    // 2. A ledger of ENTRIES entries, bulk, checkpointed.
    started = performance.now();
    const base = Date.now() - ENTRIES; // one event per millisecond, ending now
    for (let from = 0; from < ENTRIES; from += CHECKPOINT_EVERY) {
      const count = Math.min(CHECKPOINT_EVERY, ENTRIES - from);
      for (let i = from; i < from + count; i += 10_000)
        await append.executeMany(
          Array.from({ length: Math.min(10_000, from + count - i) }, (_, k) =>
            newEvent(eventAt(i + k, 'bench'), new Date(base + i + k)),
          ),
        );
      await checkpoints.forTenant('bench');
      process.stdout.write(`\r  built ${from + count} entries`);
    }
    const bulkSeconds = (performance.now() - started) / 1000;
    console.log(
      `\n[batched ingest: executeMany, 2000 events a durable commit] ${ENTRIES} entries + ${Math.ceil(ENTRIES / CHECKPOINT_EVERY)} checkpoints in ${bulkSeconds.toFixed(1)} s: ${Math.round(ENTRIES / bulkSeconds)} events/s — target ≥ ${TARGET_INGEST}/s: ${ok(ENTRIES / bulkSeconds >= TARGET_INGEST)}`,
    );
    const analyze = new Client({ connectionString: url.toString() });
    await analyze.connect();
    await analyze.query('VACUUM ANALYZE audit.ledger_entries');
    await analyze.end();

    // 3. Verify all of it.
    const verify = new VerifyLedger(ledger, keys);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      const report = await verify.execute('bench');
      times.push((performance.now() - started) / 1000);
      if (!report.ok || report.entries !== ENTRIES)
        throw new Error(`verification failed: ${JSON.stringify(report)}`);
    }
    console.log(
      `\n[verify] ${ENTRIES} entries, ${Math.ceil(ENTRIES / CHECKPOINT_EVERY)} checkpoints: median ${median(times).toFixed(2)} s (runs ${times.map((t) => t.toFixed(2)).join(', ')}) — target ≤ ${TARGET_VERIFY_S} s: ${ok(median(times) <= TARGET_VERIFY_S)}`,
    );

    // Where verification time goes: the same verifier over 100,000 rows already in memory.
    const inMemory: { position: number; entry: Buffer; hash: Buffer }[] = [];
    await ledger.copyEntries('bench', 0, 99_999, (position, entry, hash) => {
      inMemory.push({ position, entry: Buffer.from(entry), hash: Buffer.from(hash) });
    });
    const checkpointsInMemory = await ledger.checkpoints('bench');
    started = performance.now();
    const memoryVerifier = new LedgerVerifier({
      tenantId: 'bench',
      keys: await keys.trusted(),
      checkpoints: checkpointsInMemory,
    });
    for (const row of inMemory) memoryVerifier.push(row.position, row.entry, row.hash);
    // ms per row × 1,000,000 rows / 1,000 ms per s
    const secondsPerMillion = ((performance.now() - started) / inMemory.length) * 1000;
    const inMemoryVerdict = memoryVerifier.finish(inMemory.length, inMemory.length - 1);
    if (!inMemoryVerdict.ok) throw new Error(`in-memory verification failed: ${inMemoryVerdict.reason}`);
    console.log(
      `  of which hashing, Merkle roots and checks alone (100,000 rows in memory): ${secondsPerMillion.toFixed(1)} s per 1M; the rest is reading rows from Postgres (binary COPY)`,
    );

    // 4. Filtered queries.
    const queries = new LedgerQueries(dataSource);
    const query = new QueryEntries(queries);
    const sessions = Math.floor(ENTRIES / 20);
    // Windows of 5 % of the ledger's recorded history (the bench appended it in minutes, not months).
    const recorded = async (position: number): Promise<number> =>
      (JSON.parse((await queries.entryAt('bench', position))!.entry) as { recordedMs: number }).recordedMs;
    const firstMs = await recorded(0);
    const spanMs = (await recorded(ENTRIES - 1)) - firstMs;
    const windowMs = Math.max(1000, Math.round(spanMs / 20));
    const window = (): { from: string; to: string } => {
      const from = firstMs + pick(Math.max(1, spanMs - windowMs));
      return { from: new Date(from).toISOString(), to: new Date(from + windowMs).toISOString() };
    };
    const pick = (n: number): number => Math.floor(Math.random() * n);
    const kinds: [string, () => Record<string, string>, 'position' | 'time'][] = [
      ['persona version', () => ({ persona: `${PERSONAS[pick(4)]}.v${1 + pick(25)}` }), 'position'],
      ['persona, any version', () => ({ persona: PERSONAS[pick(4)]! }), 'position'],
      ['session', () => ({ session: `session-${pick(sessions)}` }), 'position'],
      ['actor', () => ({ actor: `trainer-${pick(97)}` }), 'position'],
      ['type', () => ({ type: 'runtime.executions.completed' }), 'position'],
      ['decision + override', () => ({ decision: 'deny', override: 'true' }), 'position'],
      ['correlation', () => ({ correlation: `corr-${pick(sessions)}` }), 'position'],
      ['time window', window, 'position'],
      [
        'actor + type + window',
        () => ({ actor: `trainer-${pick(97)}`, type: 'training.conversation', ...window() }),
        'position',
      ],
      ['session timeline', () => ({ session: `session-${pick(sessions)}` }), 'time'],
    ];
    const all: number[] = [];
    console.log(
      `\n[query] ${QUERIES} filtered pages of ≤ 100 at ${ENTRIES} entries (in process: SQL + JSON parse of each entry)`,
    );
    for (const [label, make, order] of kinds) {
      const latencies: number[] = [];
      let rows = 0;
      for (let i = 0; i < Math.ceil(QUERIES / kinds.length); i++) {
        const parsed = parseEntryFilter(make(), LEDGER_TOPICS, order);
        if (!parsed.ok) throw new Error(`${label}: ${parsed.reason}`);
        const t = performance.now();
        rows += (await query.page('bench', parsed.value)).entries.length;
        latencies.push(performance.now() - t);
      }
      all.push(...latencies);
      console.log(
        `  ${label.padEnd(22)} p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${quantile(latencies, 0.99).toFixed(2)} ms (${(rows / latencies.length).toFixed(0)} rows/page)`,
      );
    }
    const p99 = quantile(all, 0.99);
    console.log(
      `  all                    p50 ${quantile(all, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms — target p99 ≤ ${TARGET_QUERY_P99_MS} ms: ${ok(p99 <= TARGET_QUERY_P99_MS)}`,
    );
  } finally {
    await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server?.stop();
  }
}

/** Events pre-loaded into a Postgres log, then consumed by the audit-ledger group; events/s of the consume. */
async function ingestThroughBus(url: string, append: AppendEvents, list: EventEnvelope[]): Promise<number> {
  const schema = `messaging_bench_${randomBytes(3).toString('hex')}`;
  const transport = await PostgresLogTransport.open({ url, schema, partitions: PARTITIONS });
  const bus = new EventBus(transport, await ProcessedEventStore.open(url, schema));
  try {
    for (let i = 0; i < list.length; i += 1000)
      await bus.append(list.slice(i, i + 1000).map(toOutgoingRecord));
    let consumed = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const handler = async (batch: EventEnvelope[]): Promise<void> => {
      await append.executeBatch(batch);
      consumed += batch.length;
      if (consumed === list.length) done();
    };
    const started = performance.now();
    // As LedgerConsumer: batch handlers (@OnEvents), one partition's fetch per call.
    await bus.consume({
      group: 'audit-ledger',
      maxBatch: 500,
      batchHandlers: Object.fromEntries(LEDGER_TOPICS.map((topic) => [topic, handler])),
    });
    await finished;
    return list.length / ((performance.now() - started) / 1000);
  } finally {
    await bus.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
