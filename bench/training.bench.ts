/**
 * Training sessions (issue 4): recorded training events per second over HTTP, and archive + encrypt
 * throughput. Targets on this machine: ≥ 1,000 events/s; archive ≥ 100 MB/s.
 *
 *   node -r @swc-node/register bench/training.bench.ts
 *
 * The whole platform boots in this process on a fresh database (the offline retrieval responder is the
 * model port: it answers at once). Events: BENCH_CLIENTS trainers (a child process, undici keep-alive,
 * each on a session of its own) repeat "send a message, approve the agent's reply" — 3 events per 2
 * requests, the issue's message + annotation mix; events/s = timeline rows recorded ÷ wall time. Also
 * reported: request latencies and how long the outbox relay took to have every event on the bus.
 * Archive: sessions with BENCH_ARCHIVE_MB of attachments (8 MiB files, random bytes) and 2,000 events are
 * closed over HTTP; MB/s = archive bytes ÷ close time (read the timeline and attachments, decrypt the
 * attachments, build the tar, encrypt with a fresh data key, hash, write). Read-back (verify + decrypt)
 * is measured too, and the object store's own encrypted put as the floor.
 *
 * Env: BENCH_SECONDS (10 per run), BENCH_WARMUP_SECONDS (5), BENCH_CLIENTS (16), BENCH_RUNS (3), BENCH_ARCHIVE_MB (64), BENCH_ONLY
 * (`events` or `archive`), BENCH_AUTH (`api-key`, default, or `jwt`), BENCH_PROFILE (set: profile the server).
 * Uses DATABASE_URL's server (a database of its own, dropped at the end), or embedded Postgres in a temp dir.
 */
import 'reflect-metadata';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { signJwt } from '@personae/auth';
import type { RunningService } from '@personae/service-kit';
import { ENCRYPTED_OBJECT_STORE, type ObjectStore } from '@personae/storage';
import { openBenchDatabase, withClient } from './support/bench-database';
import { bootPlatform } from './support/boot-platform';
import { startCpuProfile } from './support/cpu-profile';
import { LoadGenerator, serveJobs } from './support/load-generator';
import { cpuMsOf } from './support/process-cpu';
import { median, quantile } from './support/stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Before the measured runs: JIT, pools, the young tables' first pages and statistics settle. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ARCHIVE_MB = Number(process.env.BENCH_ARCHIVE_MB ?? 64);
/** `events` or `archive`: run only that part. */
const ONLY = process.env.BENCH_ONLY;
/** `api-key` (default: a lookup per request) or `jwt` (HS256, no database): how the trainers authenticate. */
const AUTH = process.env.BENCH_AUTH ?? 'api-key';
const JWT_SECRET = randomBytes(32).toString('hex');
/** Set: CPU-profile the server during the last events run and print self time by package and function. */
const PROFILE = process.env.BENCH_PROFILE;
const TARGET_EVENTS_PER_SECOND = 1000;
const TARGET_ARCHIVE_MB_PER_SECOND = 100;
const TENANT = 'bench';
const MB = 1024 * 1024;

interface Job {
  origin: string;
  token: string;
  sessions: string[];
  seconds: number;
}
interface JobResult {
  messages: number[];
  annotations: number[];
  seconds: number;
  failures: string[];
}

const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const database = await openBenchDatabase('training');
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-bench-training-'));
  let platform: RunningService | undefined;
  const load = new LoadGenerator<Job, JobResult>(__filename);
  const cleanUp = async (): Promise<void> => {
    load.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await database.stop();
  };
  const abort = (): void => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', abort).once('SIGTERM', abort);
  try {
    const booted = await bootPlatform('training bench', {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      BOOTSTRAP_TENANT: TENANT,
      AUTH_JWT_SECRET: JWT_SECRET,
    });
    platform = booted.platform;
    const trainer =
      AUTH === 'jwt'
        ? signJwt(
            { sub: 'bench-trainer', tenant: TENANT, role: 'trainer' },
            { secret: JWT_SECRET, issuer: platform.config.auth.jwtIssuer, expiresInSeconds: 3600 },
          )
        : await mint(platform.url, booted.adminKey, 'trainer');
    console.log(
      `training bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; load average ` +
        `${loadavg()
          .map((l) => l.toFixed(2))
          .join(
            ' ',
          )}; offline retrieval responder as the model; trainers authenticate with ${AUTH === 'jwt' ? 'a JWT' : 'an API key'}\n`,
    );
    if (ONLY !== 'archive') await eventsOverHttp(platform, database, trainer, load);
    if (ONLY !== 'events') await archives(platform, trainer);
  } finally {
    await cleanUp();
  }
}

async function eventsOverHttp(
  platform: RunningService,
  database: { url: string; cpuMs?: () => number },
  trainer: string,
  load: LoadGenerator<Job, JobResult>,
): Promise<void> {
  const databaseUrl = database.url;
  console.log(
    `events over HTTP: ${CLIENTS} trainers, each on its own session: message (2 events) + approve (1 event); ` +
      `${SECONDS} s per run, medians of ${RUNS} runs after a ${WARMUP_SECONDS} s warm-up`,
  );
  const rates: number[] = [];
  const relayLags: number[] = [];
  const messageP50: number[] = [];
  const messageP99: number[] = [];
  const annotationP50: number[] = [];
  const annotationP99: number[] = [];
  const serverCpu: number[] = [];
  const postgresCpu: number[] = [];
  const clientCpu: number[] = [];
  for (let run = -1; run < RUNS; run++) {
    const sessions = await Promise.all(
      Array.from({ length: CLIENTS }, () => startSession(platform.url, trainer, `bench_${run + 1}`)),
    );
    const before = await countRows(databaseUrl, 'training.events');
    const profile = PROFILE && run === RUNS - 1 ? await startCpuProfile('training') : undefined;
    const cpuBefore = {
      server: process.cpuUsage(),
      postgres: database.cpuMs?.() ?? 0,
      client: cpuMsOf(load.pid),
    };
    const result = await load.run({
      origin: platform.url,
      token: trainer,
      sessions,
      seconds: run < 0 ? WARMUP_SECONDS : SECONDS,
    });
    if (result.failures.length > 0)
      throw new Error(`requests failed: ${result.failures.slice(0, 3).join('; ')}`);
    const recorded = (await countRows(databaseUrl, 'training.events')) - before;
    const relayStart = performance.now();
    await waitForBus(databaseUrl, sessions, before + recorded);
    const relayLag = performance.now() - relayStart;
    await profile?.stop();
    // CPU of the whole record, relay included: the server process, Postgres, the trainers' process.
    const server = process.cpuUsage(cpuBefore.server);
    serverCpu.push((server.user + server.system) / 1000 / recorded);
    postgresCpu.push(((database.cpuMs?.() ?? 0) - cpuBefore.postgres) / recorded);
    clientCpu.push((cpuMsOf(load.pid) - cpuBefore.client) / recorded);
    if (run < 0) continue; // warm-up
    const rate = recorded / result.seconds;
    const messages = result.messages.sort((a, b) => a - b);
    const annotations = result.annotations.sort((a, b) => a - b);
    rates.push(rate);
    relayLags.push(relayLag);
    messageP50.push(quantile(messages, 0.5));
    messageP99.push(quantile(messages, 0.99));
    annotationP50.push(quantile(annotations, 0.5));
    annotationP99.push(quantile(annotations, 0.99));
    console.log(
      `  run ${run + 1}: ${recorded} events in ${result.seconds.toFixed(1)} s = ${Math.round(rate)} events/s; ` +
        `message p50 ${quantile(messages, 0.5).toFixed(1)} ms p99 ${quantile(messages, 0.99).toFixed(1)} ms, ` +
        `annotation p50 ${quantile(annotations, 0.5).toFixed(1)} ms p99 ${quantile(annotations, 0.99).toFixed(1)} ms; ` +
        `bus caught up ${relayLag.toFixed(0)} ms after the last request`,
    );
  }
  const rate = median(rates);
  console.log(
    `recorded events over HTTP: ${Math.round(rate)} events/s (median) — target ≥ ${TARGET_EVENTS_PER_SECOND}: ` +
      `${verdict(rate >= TARGET_EVENTS_PER_SECOND)}`,
  );
  const perEvent = median(serverCpu) + median(postgresCpu);
  console.log(
    `  CPU per recorded event: server ${median(serverCpu).toFixed(2)} ms, Postgres ` +
      `${database.cpuMs ? `${median(postgresCpu).toFixed(2)} ms` : 'n/a'}, trainers' client ` +
      `${median(clientCpu).toFixed(2)} ms → ${cpus().length} idle cores would record ≈ ` +
      `${Math.round((cpus().length * 1000) / perEvent)} events/s (server + Postgres CPU alone)`,
  );
  console.log(
    `  latency medians: message p50 ${median(messageP50).toFixed(1)} ms, p99 ${median(messageP99).toFixed(1)} ms; ` +
      `annotation p50 ${median(annotationP50).toFixed(1)} ms, p99 ${median(annotationP99).toFixed(1)} ms; ` +
      `bus caught up ${median(relayLags).toFixed(0)} ms after the last request\n`,
  );
}

/** The machine's state: raw SHA-256 and AES-256-GCM of 64 MiB in one thread (SHA-NI and AES-NI here). */
function calibration(): string {
  const data = randomBytes(64 * MB);
  let start = performance.now();
  createHash('sha256').update(data).digest();
  const sha = 64 / ((performance.now() - start) / 1000);
  start = performance.now();
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), randomBytes(12));
  cipher.update(data);
  cipher.final();
  const gcm = 64 / ((performance.now() - start) / 1000);
  return `raw SHA-256 ${sha.toFixed(0)} MB/s, AES-256-GCM ${gcm.toFixed(0)} MB/s in one thread right now`;
}

async function archives(platform: RunningService, trainer: string): Promise<void> {
  const files = Math.max(1, Math.round(ARCHIVE_MB / 8));
  console.log(`machine calibration: ${calibration()}`);
  console.log(
    `archive + encrypt: sessions of ${files} × 8 MiB attachments and 2,000 events, closed over HTTP; ` +
      `medians of ${RUNS} runs`,
  );
  const store = platform.app.get<ObjectStore>(ENCRYPTED_OBJECT_STORE);
  const floor: number[] = [];
  const close: number[] = [];
  const readBack: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // The floor: the encrypted object store alone, one stream of the same size.
    const blob = randomBytes(8 * MB);
    const started = performance.now();
    await store.put(`${TENANT}/bench/floor-${run}`, Readable.from(repeat(blob, files)));
    floor.push((files * 8) / ((performance.now() - started) / 1000));
    await store.delete(`${TENANT}/bench/floor-${run}`);

    const session = await startSession(platform.url, trainer, 'bench_archive');
    for (let i = 0; i < files; i++) {
      const response = await fetch(
        `${platform.url}/v1/persona/train/sessions/${session}/attachments?name=data-${i}.pdf`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${trainer}`, 'content-type': 'application/pdf' },
          body: randomBytes(8 * MB),
        },
      );
      if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
    }
    for (let i = 0; i < 500; i++) {
      const exchange = await call<{ agentTurn: { id: string } }>(
        platform.url,
        trainer,
        `/v1/persona/train/sessions/${session}/messages`,
        { content: `question ${i}: how do mitochondria make ATP?` },
      );
      await call(platform.url, trainer, `/v1/persona/train/sessions/${session}/annotations`, {
        eventId: exchange.agentTurn.id,
        kind: 'explain',
        rationale: 'Name the organelle and cite the textbook chapter.',
      });
      await call(platform.url, trainer, `/v1/persona/train/sessions/${session}/tool-runs`, {
        tool: 'pubmed_search',
        input: { q: `atp synthase ${i}` },
        output: { hits: i },
        status: 'succeeded',
        durationMs: 12,
        invokedBy: 'agent',
      });
    }
    const closeStart = performance.now();
    const closed = await call<{ session: { archive: { sizeBytes: number } } }>(
      platform.url,
      trainer,
      '/v1/persona/train/close',
      { sessionId: session },
    );
    const closeSeconds = (performance.now() - closeStart) / 1000;
    const size = closed.session.archive.sizeBytes / MB;
    close.push(size / closeSeconds);

    const readStart = performance.now();
    const response = await fetch(`${platform.url}/v1/persona/train/sessions/${session}/archive`, {
      headers: { authorization: `Bearer ${trainer}` },
    });
    let bytes = 0;
    for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
    if (response.status !== 200 || bytes !== closed.session.archive.sizeBytes)
      throw new Error(`archive read back: ${response.status}, ${bytes} bytes`);
    readBack.push(size / ((performance.now() - readStart) / 1000));
    console.log(
      `  run ${run + 1}: archive ${size.toFixed(1)} MiB closed in ${(closeSeconds * 1000).toFixed(0)} ms = ` +
        `${close.at(-1)!.toFixed(0)} MB/s; read back verified + decrypted ${readBack.at(-1)!.toFixed(0)} MB/s; ` +
        `encrypted put alone ${floor.at(-1)!.toFixed(0)} MB/s`,
    );
  }
  const rate = median(close);
  console.log(
    `archive + encrypt on close: ${rate.toFixed(0)} MB/s (median) — target ≥ ${TARGET_ARCHIVE_MB_PER_SECOND}: ` +
      `${verdict(rate >= TARGET_ARCHIVE_MB_PER_SECOND)}`,
  );
  console.log(
    `  read back (decrypt twice: verify, then send): ${median(readBack).toFixed(0)} MB/s; ` +
      `encrypted object store put alone: ${median(floor).toFixed(0)} MB/s (MB = MiB)`,
  );
}

function* repeat(blob: Buffer, times: number): Generator<Buffer> {
  for (let i = 0; i < times; i++) yield blob;
}

async function call<T = unknown>(origin: string, token: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function startSession(origin: string, token: string, name: string): Promise<string> {
  return (await call<{ sessionId: string }>(origin, token, '/v1/persona/train/start', { name })).sessionId;
}

async function mint(origin: string, adminKey: string, role: string): Promise<string> {
  return (await call<{ token: string }>(origin, adminKey, '/v1/auth/keys', { role, label: `bench ${role}` }))
    .token;
}

async function countRows(databaseUrl: string, table: string): Promise<number> {
  let count = 0;
  await withClient(databaseUrl, async (client) => {
    count = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  });
  return count;
}

/** Until the bus holds as many training events as the timeline (the relay has published them all). */
async function waitForBus(databaseUrl: string, sessions: string[], expected: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const onBus = await countRows(databaseUrl, `messaging.events WHERE topic LIKE 'training.%'`);
    if (onBus >= expected) return;
    if (Date.now() > deadline)
      throw new Error(`bus has ${onBus} of ${expected} events (sessions ${sessions.length})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function trainers(pool: import('undici').Pool, job: Job): Promise<JobResult> {
  const headers = { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' };
  const result: JobResult = { messages: [], annotations: [], seconds: 0, failures: [] };
  const post = async (path: string, body: unknown, latencies: number[]): Promise<string> => {
    const start = performance.now();
    const response = await pool.request({ path, method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.body.text();
    latencies.push(performance.now() - start);
    if (response.statusCode !== 201)
      result.failures.push(`${path} ${response.statusCode} ${text.slice(0, 200)}`);
    return text;
  };
  const start = performance.now();
  const end = start + job.seconds * 1000;
  await Promise.all(
    job.sessions.map(async (session, trainer) => {
      for (let turn = 0; performance.now() < end && result.failures.length === 0; turn++) {
        const text = await post(
          `/v1/persona/train/sessions/${session}/messages`,
          { content: `Trainer ${trainer}, turn ${turn}: how do mitochondria make ATP?` },
          result.messages,
        );
        const agentTurn = (JSON.parse(text) as { agentTurn?: { id: string } }).agentTurn;
        if (!agentTurn) continue;
        await post(
          `/v1/persona/train/sessions/${session}/annotations`,
          { eventId: agentTurn.id, kind: 'approve' },
          result.annotations,
        );
      }
    }),
  );
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

(process.argv[2] === '--client' ? serveJobs(CLIENTS, trainers) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
