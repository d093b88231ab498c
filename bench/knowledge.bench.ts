/**
 * Knowledge (issue 5): ingestion MB/s (chunk + embed + persist, the whole IngestSnapshot use case on
 * Postgres with the embedded index) and top-10 search p50/p99 at 100k chunks in the embedded index.
 * Targets on this machine: ingestion ≥ 5 MB/s; search p99 ≤ 50 ms.
 *
 *   node -r @swc-node/register bench/knowledge.bench.ts
 *
 * The corpus is generated (deterministic English-like text: a Zipf-distributed vocabulary, sentences and
 * paragraphs) and streamed to the use case as 64 KiB UTF-8 buffers, like an uploaded file. Ingestion:
 * BENCH_INGEST_MB per run (32), BENCH_RUNS runs (3), median; beside it, in process, the chunker alone and
 * chunker + hashing embedder, to show where the time goes. Search: one snapshot of BENCH_CHUNKS chunks
 * (100,000), ingested through the same use case; BENCH_QUERIES (2,000) queries of 3–9 words after a
 * warm-up, k = 10: the index alone (`EmbeddedVectorIndex.search`: column scan + top-k) and the whole
 * `SearchSnapshot` (embed the query, search, read the texts back), plus a filtered search and the cold
 * load of the matrix from Postgres. Uses DATABASE_URL's server (in a database of its own, dropped at the
 * end) or embedded Postgres in a temp dir.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import {
  EmbeddedVectorIndex,
  HashingEmbedder,
  IngestSnapshot,
  KNOWLEDGE_MIGRATIONS,
  KNOWLEDGE_SCHEMA,
  SearchSnapshot,
  TextChunker,
  type KnowledgeDocument,
} from '@personae/knowledge';
import { openServiceDataSource, startTemporaryPostgres } from '@personae/persistence';
import type { DataSource } from 'typeorm';

const INGEST_MB = Number(process.env.BENCH_INGEST_MB ?? 32);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2000);
const TARGET_MBS = 5;
const TARGET_P99_MS = 50;
const MB = 1024 * 1024;

const quantile = (sorted: ArrayLike<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ok = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const f = (x: number, digits = 1): string => x.toFixed(digits);

/** Deterministic English-like text: words from a Zipf vocabulary, sentences of 6–22 words, paragraphs of 2–7. */
class Corpus {
  private state: number;
  readonly vocabulary: string[];
  private readonly cumulative: Float64Array;

  constructor(seed: number, words = 20_000) {
    this.state = seed;
    const syllables = [
      'ka',
      'to',
      'ri',
      'men',
      'sul',
      'an',
      'ph',
      'or',
      'est',
      'ion',
      'ly',
      'ver',
      'gra',
      'tic',
      'os',
      'um',
      'del',
      'qua',
      'ne',
      'bro',
    ];
    const seen = new Set<string>();
    this.vocabulary = [];
    while (this.vocabulary.length < words) {
      const n = 1 + Math.floor(this.next() * 4);
      let word = '';
      for (let i = 0; i < n; i++) word += syllables[Math.floor(this.next() * syllables.length)];
      if (!seen.has(word)) {
        seen.add(word);
        this.vocabulary.push(word);
      }
    }
    this.cumulative = new Float64Array(words);
    let sum = 0;
    for (let i = 0; i < words; i++) this.cumulative[i] = sum += 1 / (i + 1);
    for (let i = 0; i < words; i++) this.cumulative[i]! /= sum;
  }

  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }

  word(): string {
    const r = this.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return this.vocabulary[lo]!;
  }

  words(n: number): string {
    return Array.from({ length: n }, () => this.word()).join(' ');
  }

  paragraph(): string {
    const sentences = 2 + Math.floor(this.next() * 6);
    const out: string[] = [];
    for (let i = 0; i < sentences; i++) {
      const s = this.words(6 + Math.floor(this.next() * 17));
      out.push(`${s.charAt(0).toUpperCase()}${s.slice(1)}.`);
    }
    return out.join(' ');
  }

  /** `bytes` of text as 64 KiB UTF-8 buffers. */
  *stream(bytes: number): Generator<Buffer> {
    let produced = 0;
    let pending = '';
    while (produced < bytes) {
      pending += `${this.paragraph()}\n\n`;
      if (pending.length >= 65536 || produced + pending.length >= bytes) {
        const buffer = Buffer.from(pending, 'utf8');
        produced += buffer.length;
        pending = '';
        yield buffer;
      }
    }
  }
}

async function openDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const pg = await startTemporaryPostgres('personae-bench-knowledge-');
    return { url: pg.url, stop: pg.stop };
  }
  const name = `bench_knowledge_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      const client = new Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

function inProcess(bytes: number): { chunkMBs: number; embedMBs: number } {
  const corpus = new Corpus(11);
  const buffers = [...corpus.stream(bytes)];
  const decoder = new TextDecoder();
  const texts = buffers.map((b) => decoder.decode(b));
  let start = performance.now();
  const chunker = new TextChunker();
  const chunks: string[] = [];
  for (const text of texts) chunks.push(...chunker.push(text));
  chunks.push(...chunker.end());
  const chunkSeconds = (performance.now() - start) / 1000;
  const embedder = new HashingEmbedder();
  start = performance.now();
  for (const chunk of chunks) embedder.embedOne(chunk);
  const embedSeconds = (performance.now() - start) / 1000;
  return { chunkMBs: bytes / MB / chunkSeconds, embedMBs: bytes / MB / (chunkSeconds + embedSeconds) };
}

async function ingestRun(
  dataSource: DataSource,
  index: EmbeddedVectorIndex,
  bytes: number,
  seed: number,
  maxChars?: number,
): Promise<{ mbs: number; chunks: number; snapshotId: string; heapPeakMB: number; seconds: number }> {
  const corpus = new Corpus(seed);
  const documents: KnowledgeDocument[] = [
    { source: `manual-${seed}.txt`, tags: ['bench'], text: corpus.stream(bytes) },
  ];
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
  const start = performance.now();
  const result = await new IngestSnapshot(dataSource, new HashingEmbedder(), index).execute({
    tenantId: 'bench',
    createdBy: 'bench',
    documents,
    chunking: maxChars ? { maxChars, overlapChars: Math.floor(maxChars / 8) } : undefined,
  });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  return {
    mbs: bytes / MB / seconds,
    chunks: result.chunks,
    snapshotId: result.snapshotId,
    heapPeakMB: (heapPeak - heapBefore) / MB,
    seconds,
  };
}

async function main(): Promise<void> {
  const database = await openDatabase();
  const dataSource = await openServiceDataSource(
    database.url,
    { schema: KNOWLEDGE_SCHEMA, migrations: KNOWLEDGE_MIGRATIONS },
    4,
  );
  const abort = (): void =>
    void dataSource
      .destroy()
      .then(database.stop)
      .finally(() => process.exit(130));
  process.once('SIGINT', abort).once('SIGTERM', abort);
  try {
    console.log(
      `knowledge: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    const index = new EmbeddedVectorIndex(dataSource, { cacheBytes: 1024 * MB });

    const local = inProcess(16 * MB);
    console.log(
      `in process, no database: chunker ${f(local.chunkMBs)} MB/s; chunker + hashing embedder ${f(local.embedMBs)} MB/s`,
    );
    const runs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await ingestRun(dataSource, index, INGEST_MB * MB, 100 + run);
      runs.push(result.mbs);
      console.log(
        `  ingest run ${run + 1}: ${INGEST_MB} MB, ${result.chunks} chunks in ${f(result.seconds, 2)} s = ${f(result.mbs, 2)} MB/s; heap growth peak ${f(result.heapPeakMB)} MB`,
      );
    }
    const ingestion = median(runs);
    console.log(
      `ingestion (chunk + embed + persist chunks and vectors + seal), median of ${RUNS}: ${f(ingestion, 2)} MB/s — target ≥ ${TARGET_MBS} MB/s: ${ok(ingestion >= TARGET_MBS)}\n`,
    );

    // The search set: ~CHUNKS chunks of up to 500 characters (~420 on average with the overlap).
    const bytesFor = Math.round(CHUNKS * 440);
    let big = await ingestRun(dataSource, index, bytesFor, 7, 500);
    console.log(
      `search set: ${big.chunks} chunks ingested in ${f(big.seconds, 1)} s (${f(big.mbs, 2)} MB/s)`,
    );
    const scope = { tenantId: 'bench', snapshotId: big.snapshotId };
    const embedder = new HashingEmbedder();
    const corpus = new Corpus(7);
    const queries = Array.from({ length: QUERIES }, () => corpus.words(3 + Math.floor(corpus.next() * 7)));
    const vectors = queries.map((q) => embedder.embedOne(q));

    index.clearCache();
    let start = performance.now();
    await index.search(scope, vectors[0]!, 10);
    console.log(
      `cold load of the ${big.chunks}-row matrix from Postgres: ${f(performance.now() - start, 0)} ms`,
    );

    const measure = async (label: string, one: (i: number) => Promise<unknown>): Promise<number> => {
      for (let i = 0; i < 200; i++) await one(i % queries.length);
      const latencies = new Float64Array(queries.length);
      for (let i = 0; i < queries.length; i++) {
        const t = performance.now();
        await one(i);
        latencies[i] = performance.now() - t;
      }
      latencies.sort();
      const p99 = quantile(latencies, 0.99);
      console.log(
        `${label}: p50 ${f(quantile(latencies, 0.5), 2)} ms, p90 ${f(quantile(latencies, 0.9), 2)} ms, p99 ${f(p99, 2)} ms, max ${f(latencies[latencies.length - 1]!, 1)} ms`,
      );
      return p99;
    };
    const indexP99 = await measure(`top-10, EmbeddedVectorIndex.search, ${big.chunks} chunks`, (i) =>
      index.search(scope, vectors[i]!, 10),
    );
    const search = new SearchSnapshot(dataSource, embedder, index);
    const fullP99 = await measure(
      `top-10, SearchSnapshot (embed + search + texts), ${big.chunks} chunks`,
      (i) => search.execute({ tenantId: 'bench', snapshotId: big.snapshotId, query: queries[i]!, k: 10 }),
    );
    await measure(`top-10 filtered (source + tag), ${big.chunks} chunks`, (i) =>
      index.search(scope, vectors[i]!, 10, { sources: ['manual-7.txt'], tags: ['bench'] }),
    );
    console.log(
      `search p99 at ${big.chunks} chunks: index ${f(indexP99, 2)} ms, whole use case ${f(fullP99, 2)} ms — target ≤ ${TARGET_P99_MS} ms: ${ok(fullP99 <= TARGET_P99_MS)}`,
    );
    big = undefined as never;
  } finally {
    await dataSource.destroy();
    await database.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
