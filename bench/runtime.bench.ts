/**
 * Runtime orchestrator (issue 7): overhead per request excluding model time, over HTTP, and swap
 * latency warm and cold. The whole platform runs in this process on a fresh database; the model is an
 * OpenAI-compatible server that answers at once, in a child process together with the load generator
 * (undici Pool, keep-alive), so neither shares the platform's event loop.
 *
 *   node -r @swc-node/register bench/runtime.bench.ts        (npm run bench:runtime)
 *
 * Overhead: each POST /v1/runtime/instances/:id/execute answers with `Server-Timing: runtime;dur=…,
 * model;dur=…`; the client's latency minus the model time the runtime waited for is the runtime's
 * overhead over HTTP (auth, verification cache, governance, prompt, accounting, receipt, the memory and
 * receipt written in one transaction, JSON). Two personas: without and with a daily budget (which adds
 * the budget counters' reads and writes). Targets: overhead p99 ≤ 5 ms; ≥ 500 requests/s.
 * Printed with them: the same load against a bare server doing only an execution's I/O (support/execute-floor),
 * the floor that no runtime doing that I/O here can get under.
 * Swap, in process: warm (persona verified and cached: resolve from cache + the swap committed with
 * its event), and cold (a fresh resolver: trust root, registry resolve over HTTP, full verification,
 * then the swap). Target: warm swap p99 ≤ 1 ms. Printed with it: the floor of one fsync'd commit here.
 *
 * Env: BENCH_REQUESTS (3000 per mode), BENCH_CONCURRENCY (16), BENCH_INSTANCES (256), BENCH_SWAPS (2000),
 * BENCH_COLD_SWAPS (100), BENCH_PROFILE (`sequential` or `concurrent`: CPU-profile the platform during that
 * run of the persona without budget and print self time by package and function), BENCH_PROMOTED (the same
 * choice: sample the allocations that outlive the young generation, see support/allocation-profile). Uses DATABASE_URL's server (own database, dropped at the end) or a temporary
 * embedded Postgres.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Principal } from '@personae/auth';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { Instances, PersonaResolver } from '@personae/runtime';
import { HttpClient, RegistryClient, SignerClient } from '@personae/sdk';
import { ServiceUrls, type RunningService } from '@personae/service-kit';
import { SealedPackStore } from '../libs/runtime/personas/sealed-pack.store';
import { TrustRoots } from '../libs/runtime/personas/trust-roots';
import { openBenchDatabase, withClient } from './support/bench-database';
import { bootPlatform } from './support/boot-platform';
import { startPromotionProfile } from './support/allocation-profile';
import { startCpuProfile } from './support/cpu-profile';
import { startExecuteFloor } from './support/execute-floor';
import { LoadGenerator, serveJobs } from './support/load-generator';
import { describePauses, watchPauses } from './support/gc-pauses';
import { cpuMsOf, runQueueWait } from './support/process-cpu';
import { quantile } from './support/stats';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 256);
const SWAPS = Number(process.env.BENCH_SWAPS ?? 2000);
const COLD_SWAPS = Number(process.env.BENCH_COLD_SWAPS ?? 100);
const PROFILE = process.env.BENCH_PROFILE;
const PROMOTED = process.env.BENCH_PROMOTED;
const TENANT = 'bench';

interface Job {
  origin: string;
  token: string;
  paths: string[];
  requests: number;
  concurrency: number;
}
interface JobResult {
  latencies: number[];
  overheads: number[];
  /** The runtime's own time in the server (runtime;dur): no HTTP, no queueing, no model. */
  inside: number[];
  /** Of that, waiting for the database (store;dur): the instance read and the record. */
  store: number[];
  models: number[];
  seconds: number;
  failures: string[];
}

const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const stats = (values: number[]) => {
  const sorted = Float64Array.from(values).sort();
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: quantile(sorted, 1) };
};

async function main(): Promise<void> {
  const generator = new LoadGenerator<Job, JobResult>(__filename);
  const { modelUrl } = await generator.next<{ modelUrl: string }>();
  const database = await openBenchDatabase('runtime');
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-bench-runtime-'));
  let platform: RunningService | undefined;
  try {
    const booted = await bootPlatform('runtime bench', {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      BOOTSTRAP_TENANT: TENANT,
      MODEL_BASE_URL: modelUrl,
      MODEL_PRICES: 'bench-*=0.15/0.6',
      DB_POOL_SIZE: '20',
    });
    platform = booted.platform;
    const cast = await setUp(platform, booted.adminKey);
    console.log(
      `runtime bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; load average ` +
        `${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}; model: an OpenAI-compatible server answering at once (child process)`,
    );
    const http = new HttpClient({ baseUrl: platform.url, token: cast.orchestrator, timeoutMs: 30_000 });
    for (const [label, ref] of [
      ['persona without budget', 'bench_plain.v1'],
      ['persona with a daily budget', 'bench_budget.v1'],
    ] as const) {
      const paths: string[] = [];
      for (let i = 0; i < INSTANCES; i++) {
        const instance = await http.request<{ id: string }>('POST', '/v1/runtime/instances', { ref });
        paths.push(`/v1/runtime/instances/${instance.id}/execute`);
      }
      const job = { origin: platform.url, token: cast.orchestrator, paths };
      await generator.run({ ...job, requests: Math.min(1000, REQUESTS), concurrency: CONCURRENCY }); // warm-up
      for (const concurrency of [1, CONCURRENCY]) {
        const profiled =
          ref === 'bench_plain.v1' && PROFILE === (concurrency === 1 ? 'sequential' : 'concurrent');
        const profile = profiled ? await startCpuProfile('runtime') : undefined;
        const promoted =
          ref === 'bench_plain.v1' && PROMOTED === (concurrency === 1 ? 'sequential' : 'concurrent')
            ? await startPromotionProfile()
            : undefined;
        const cpuBefore = process.cpuUsage();
        const othersBefore = { postgres: database.cpuMs?.() ?? 0, child: cpuMsOf(generator.pid) };
        const queueBefore = runQueueWait();
        const pauses = watchPauses();
        const result = await generator.run({ ...job, requests: REQUESTS, concurrency });
        const paused = pauses.stop();
        const cpu = process.cpuUsage(cpuBefore);
        const postgresMs = ((database.cpuMs?.() ?? 0) - othersBefore.postgres) / REQUESTS;
        const childMs = (cpuMsOf(generator.pid) - othersBefore.child) / REQUESTS;
        const queued = runQueueWait();
        const waitMs = (queued.waitMs - queueBefore.waitMs) / REQUESTS;
        await profile?.stop(`${label}, ×${concurrency}`);
        await promoted?.stop(`${label}, ×${concurrency}`);
        if (result.failures.length > 0)
          throw new Error(`${result.failures.length} failed, e.g. ${result.failures[0]}`);
        const overhead = stats(result.overheads);
        const total = stats(result.latencies);
        const model = stats(result.models);
        const inside = stats(result.inside);
        const store = stats(result.store);
        const rps = result.latencies.length / result.seconds;
        const mode = concurrency === 1 ? 'sequential' : `×${concurrency} clients`;
        console.log(
          `execute over HTTP, ${label}, ${mode}: overhead p50 ${ms(overhead.p50)} ms, p99 ${ms(overhead.p99)} ms ` +
            `(max ${ms(overhead.max)}) — target p99 ≤ 5 ms: ${verdict(overhead.p99 <= 5)}; ` +
            `${Math.round(rps)} req/s${concurrency === 1 ? '' : ` — target ≥ 500: ${verdict(rps >= 500)}`}`,
        );
        console.log(
          `    whole request p50 ${ms(total.p50)} ms, p99 ${ms(total.p99)} ms; of which model (scripted, instant) ` +
            `p50 ${ms(model.p50)} ms, p99 ${ms(model.p99)} ms; of the overhead, the runtime's own time (runtime;dur: ` +
            `instance read to committed record, no HTTP, no queueing) p50 ${ms(inside.p50)} ms, p99 ${ms(inside.p99)} ms, ` +
            `of which waiting for the database p50 ${ms(store.p50)} ms, p99 ${ms(store.p99)} ms; platform process CPU ` +
            `${ms((cpu.user + cpu.system) / 1000 / REQUESTS)} ms per request (incl. the outbox relay and consumers), ` +
            `Postgres ${database.cpuMs ? `${ms(postgresMs)} ms` : 'n/a'}, load generator + model server ${ms(childMs)} ms; ` +
            `the platform's main thread waited for a core ${ms(waitMs)} ms per request`,
        );
        console.log(`    ${describePauses(paused)}`);
      }
    }
    await executeFloor(generator, database.url, modelUrl);
    await swaps(platform, cast.orchestrator);
    await commitFloor(database.url);
  } finally {
    generator.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await database.stop();
  }
}

/** The same load against a bare server doing only the execution's I/O (support/execute-floor). */
async function executeFloor(
  generator: LoadGenerator<Job, JobResult>,
  databaseUrl: string,
  modelUrl: string,
): Promise<void> {
  const floor = await startExecuteFloor(databaseUrl, modelUrl);
  try {
    const job = { origin: floor.origin, token: 'none', paths: floor.paths };
    await generator.run({ ...job, requests: Math.min(1000, REQUESTS), concurrency: CONCURRENCY });
    for (const concurrency of [1, CONCURRENCY]) {
      const result = await generator.run({ ...job, requests: REQUESTS, concurrency });
      if (result.failures.length > 0)
        throw new Error(`floor: ${result.failures.length} failed, e.g. ${result.failures[0]}`);
      const overhead = stats(result.overheads);
      const slow = result.overheads.filter((value) => value > 5).length;
      console.log(
        `floor, ${concurrency === 1 ? 'sequential' : `×${concurrency} clients`}: a bare node:http server doing only an ` +
          `execution's I/O (row read, model call, one fsync'd write): overhead p50 ${ms(overhead.p50)} ms, ` +
          `p99 ${ms(overhead.p99)} ms, ${((100 * slow) / REQUESTS).toFixed(1)} % over 5 ms; ` +
          `${Math.round(result.latencies.length / result.seconds)} req/s`,
      );
    }
  } finally {
    await floor.stop();
  }
}

/** Warm and cold swaps, in process. */
async function swaps(platform: RunningService, token: string): Promise<void> {
  const app = platform.app;
  const instances = app.get(Instances);
  const resolver = app.get(PersonaResolver);
  const whoami = await new HttpClient({ baseUrl: platform.url, token }).request<{
    subject: string;
    tenantId: string;
  }>('GET', '/v1/auth/whoami');
  const principal: Principal = {
    subject: whoami.subject,
    tenantId: whoami.tenantId,
    role: 'orchestrator',
    via: 'api-key',
  };
  const caller = { tenantId: principal.tenantId, token };
  const refs = ['bench_plain.v1', 'bench_budget.v1'];
  const instance = await instances.create(principal, token, { ref: refs[0]! });
  const warm: number[] = [];
  const decide: number[] = [];
  const pauses = watchPauses();
  for (let i = 0; i < SWAPS + 200; i++) {
    const ref = refs[(i + 1) % 2]!;
    const started = performance.now();
    const persona = await resolver.resolve(caller, ref);
    const resolved = performance.now();
    await instances.swapTo(principal, instance.id, ref, persona, 'carry');
    if (i >= 200) {
      decide.push(resolved - started);
      warm.push(performance.now() - started);
    }
  }
  const paused = pauses.stop();
  const w = stats(warm);
  const d = stats(decide);
  console.log(
    `swap, warm, in process (resolve from cache + swap committed with its event): p50 ${ms(w.p50)} ms, p99 ${ms(w.p99)} ms ` +
      `— target p99 ≤ 1 ms: ${verdict(w.p99 <= 1)}`,
  );
  console.log(
    `    of which the verified-persona lookup: p50 ${(d.p50 * 1000).toFixed(1)} µs, p99 ${(d.p99 * 1000).toFixed(1)} µs`,
  );
  console.log(`    ${describePauses(paused)}`);

  const config = app.get<AppConfig>(APP_CONFIG);
  const urls = app.get(ServiceUrls);
  const store = app.get(SealedPackStore);
  const cold: number[] = [];
  for (let i = 0; i < COLD_SWAPS; i++) {
    const ref = refs[i % 2]!;
    const started = performance.now();
    const fresh = new PersonaResolver(config, urls, new TrustRoots(urls), store);
    const persona = await fresh.resolve(caller, ref);
    await instances.swapTo(principal, instance.id, ref, persona, 'carry');
    cold.push(performance.now() - started);
  }
  const c = stats(cold);
  console.log(
    `swap, cold, in process (trust root + registry resolve over HTTP + full verification + swap): ` +
      `p50 ${ms(c.p50)} ms, p99 ${ms(c.p99)} ms`,
  );
}

/**
 * The floor under a durable swap: one single-row INSERT committed (WAL flushed, fsync) per round trip
 * on the same server, back to back, while the platform idles. A swap is acknowledged to the caller and
 * takes the old persona's tools and knowledge out of reach, so it must survive a crash: it cannot be
 * cheaper than this.
 */
async function commitFloor(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(
      'CREATE TABLE bench_commit_floor (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())',
    );
    const commits: number[] = [];
    for (let i = 0; i < 1200; i++) {
      const started = performance.now();
      await client.query('INSERT INTO bench_commit_floor DEFAULT VALUES');
      if (i >= 200) commits.push(performance.now() - started);
    }
    const f = stats(commits);
    console.log(
      `    floor: one single-row commit flushed to disk (fsync), back to back: p50 ${ms(f.p50)} ms, p99 ${ms(f.p99)} ms`,
    );
  });
}

/** Keys, a trusted signer, two personas sealed (one with a daily budget). */
async function setUp(platform: RunningService, adminKey: string): Promise<{ orchestrator: string }> {
  const http = (token: string) => new HttpClient({ baseUrl: platform.url, token, timeoutMs: 30_000 });
  const mint = async (role: string) => {
    const minted = await http(adminKey).request<{ token: string; key: { id: string } }>(
      'POST',
      '/v1/auth/keys',
      { role, label: `bench ${role}` },
    );
    return { token: minted.token, subject: `apikey:${minted.key.id}` };
  };
  const trainer = new RegistryClient(http((await mint('trainer')).token));
  const reviewer = new RegistryClient(http((await mint('reviewer')).token));
  const signerKey = await mint('signer');
  const signer = new RegistryClient(http(signerKey.token));
  await new SignerClient(http(adminKey)).registerIdentity({
    subject: signerKey.subject,
    displayName: 'Signer',
    roles: ['pack-signer'],
  });
  for (const [name, budget] of [
    ['bench_plain', undefined],
    ['bench_budget', { maxCostPerDay: 1_000_000 }],
  ] as const) {
    const draft = await trainer.createDraft({
      apiVersion: 'personae.dev/v1',
      kind: 'PersonaPack',
      metadata: {
        name,
        displayName: name,
        description: 'Bench persona.',
        category: 'research',
        tags: ['bench'],
      },
      spec: {
        prompt: {
          system: 'You are a careful research assistant. Cite sources.',
          safetyBoundaries: ['Never invent citations.'],
          examples: [{ input: 'What is ATP?', output: 'The cell’s energy currency.' }],
        },
        personality: { conscientiousness: 0.9 },
        capabilities: ['research'],
        models: {
          primary: { model: 'bench-model', temperature: 0.2, maxTokens: 256 },
          ...(budget ? { budget } : {}),
        },
        policy: { allowedActions: ['chat'] },
      },
    });
    await trainer.submit(draft.id);
    await reviewer.approve(draft.id);
    await signer.seal(draft.id);
  }
  return { orchestrator: (await mint('orchestrator')).token };
}

// ---- the child: an instant OpenAI-compatible model server and the load generator ----

const ANSWER = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1732190000,
  model: 'bench-model',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'ATP is made in the mitochondria. [1]' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 },
});

async function child(): Promise<void> {
  const model = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER));
  });
  await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
  process.send!({ modelUrl: `http://127.0.0.1:${(model.address() as { port: number }).port}/v1` });
  await serveJobs(CONCURRENCY, runJob);
}

async function runJob(pool: import('undici').Pool, job: Job): Promise<JobResult> {
  const headers = { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' };
  const result: JobResult = {
    latencies: [],
    overheads: [],
    inside: [],
    store: [],
    models: [],
    seconds: 0,
    failures: [],
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.requests) {
        const path = job.paths[next++ % job.paths.length]!;
        const start = performance.now();
        const response = await pool.request({
          path,
          method: 'POST',
          headers,
          body: JSON.stringify({ input: 'Where is ATP made? Answer briefly.' }),
        });
        const text = await response.body.text();
        const latency = performance.now() - start;
        if (response.statusCode !== 200) {
          result.failures.push(`${response.statusCode} ${text.slice(0, 200)}`);
          continue;
        }
        const timing = String(response.headers['server-timing'] ?? '');
        const model = Number(/model;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
        result.inside.push(Number(/runtime;dur=([\d.]+)/.exec(timing)?.[1] ?? 0));
        result.store.push(Number(/store;dur=([\d.]+)/.exec(timing)?.[1] ?? 0));
        result.latencies.push(latency);
        result.models.push(model);
        result.overheads.push(latency - model);
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

if (process.argv.includes('--client')) void child();
else
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
