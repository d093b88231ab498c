/**
 * Synthesis of a long training session (issue 5): 1,000 turns (500 questions, 500 answers), 100 tool
 * runs and 200 annotations of every kind. Target: synthesis ≤ 5 s on this machine.
 *
 * 1. pure: `synthesizeDraft` over the session's events (rules, examples, tool heuristics, policy, models,
 *    summary, pack validation) — BENCH_RUNS runs (20), median and p99.
 * 2. end to end (BENCH_E2E=0 to skip): the platform on a throwaway embedded Postgres; the session's
 *    1,302 events published through a real outbox in one transaction; timed from its commit until the pipeline has
 *    consumed the five topics, built the knowledge snapshot, saved the draft in the registry over HTTP
 *    and announced it — BENCH_E2E_RUNS sessions (3).
 *
 *   node -r @swc-node/register bench/synthesis.bench.ts
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { canonicalPackJson } from '@personae/pack';
import { dataSourceToken, startTemporaryPostgres } from '@personae/persistence';
import { EventPublisher } from '@personae/messaging';
import { startService, type RunningService } from '@personae/service-kit';
import { synthesizeDraft, toSessionEvent } from '@personae/synthesis';
import type { DataSource } from 'typeorm';
import { SERVICES } from '../apps/platform/service-catalog';
import { longSession } from '../test/synthesis/session-builder';
import { FIXTURE_SCHEMA, TrainingOutboxFixtureModule } from '../test/synthesis/support';

const TURNS = 1000;
const ANNOTATIONS = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const E2E = process.env.BENCH_E2E !== '0';
const E2E_RUNS = Number(process.env.BENCH_E2E_RUNS ?? 3);
const TARGET_MS = 5000;

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function report(label: string, samples: number[]): void {
  const median = quantile(samples, 0.5);
  const p99 = quantile(samples, 0.99);
  const verdict = median <= TARGET_MS ? 'meets' : 'MISSES';
  console.log(
    `${label.padEnd(60)} median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (n=${samples.length})  target ≤ ${TARGET_MS} ms: ${verdict}`,
  );
}

function pure(): void {
  const session = longSession(TURNS, ANNOTATIONS);
  const events = session.events.map((e) => toSessionEvent(e));
  const input = { sessionId: session.sessionId, personaName: 'biology_researcher', events };
  const first = synthesizeDraft(input);
  console.log(
    `session: ${events.length} events; draft: ${first.changes.length} changes, ${first.pack.spec.prompt.examples.length} examples, ` +
      `${Buffer.byteLength(canonicalPackJson(first.pack))} B canonical, ${first.contradictions.length} contradictions, ${first.findings.length} findings`,
  );
  synthesizeDraft(input);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const draft = synthesizeDraft(input);
    samples.push(performance.now() - started);
    if (canonicalPackJson(draft.pack) !== canonicalPackJson(first.pack))
      throw new Error('synthesis is not deterministic');
  }
  report('pure synthesis (1,000 turns, 200 annotations)', samples);
}

async function endToEnd(): Promise<void> {
  const postgres = await startTemporaryPostgres('personae-bench-synthesis-');
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-bench-synthesis-data-'));
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  let platform: RunningService;
  try {
    platform = await startService(
      {
        name: 'platform',
        description: 'synthesis bench',
        defaultPort: 0,
        modules: [...SERVICES.flatMap((s) => s.modules), TrainingOutboxFixtureModule],
      },
      {
        DATABASE_URL: postgres.url,
        DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'silent',
        AUTH_JWT_SECRET: 'synthesis-bench-secret-0123456789abcdef',
      },
    );
  } finally {
    process.stdout.write = write;
  }
  const client = new Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const dataSource = platform.app.get<DataSource>(dataSourceToken(FIXTURE_SCHEMA));
    const publisher = platform.app.get(EventPublisher);
    const samples: number[] = [];
    for (let i = 0; i < E2E_RUNS; i++) {
      const session = longSession(TURNS, ANNOTATIONS, `bench-${i}`);
      const started = performance.now();
      await dataSource.transaction(async (manager) => {
        for (const event of session.events) await publisher.publishEnvelope(manager, event);
      });
      const published = performance.now();
      for (;;) {
        const { rows } = await client.query<{ state: string; error: string | null }>(
          `SELECT state, error FROM synthesis.runs WHERE session_id = $1`,
          [session.sessionId],
        );
        if (rows[0]?.state === 'done') break;
        if (rows[0]?.state === 'failed') throw new Error(`synthesis failed: ${rows[0].error}`);
        if (performance.now() - started > 120_000)
          throw new Error(`timed out in state ${rows[0]?.state} (${rows[0]?.error})`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      samples.push(performance.now() - published);
      const { rows } = await client.query<{ consuming: number; run: number }>(
        `SELECT extract(epoch FROM max(e.received_at) - min(e.received_at)) * 1000 AS consuming,
                extract(epoch FROM r.updated_at - max(e.received_at)) * 1000 AS run
           FROM synthesis.session_events e JOIN synthesis.runs r USING (session_id)
          WHERE e.session_id = $1 GROUP BY r.updated_at`,
        [session.sessionId],
      );
      console.log(
        `  session ${i + 1}: published in ${(published - started).toFixed(0)} ms; events stored over ${Number(rows[0]?.consuming).toFixed(0)} ms; ` +
          `run ${Number(rows[0]?.run).toFixed(0)} ms after the last one; draft saved and announced ${(performance.now() - published).toFixed(0)} ms after the publish committed`,
      );
    }
    report('end to end: committed → consumed → snapshot → draft → announced', samples);
  } finally {
    await client.end();
    await platform.stop();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `synthesis bench — ${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  pure();
  if (E2E) await endToEnd();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
