import {
  EmbeddedVectorIndex,
  HashingEmbedder,
  IngestSnapshot,
  KNOWLEDGE_MIGRATIONS,
  KNOWLEDGE_SCHEMA,
  KnowledgeRefusal,
  manifestDigest,
  OpenAiCompatibleEmbedder,
  SearchSnapshot,
  SnapshotQueries,
  type Embedder,
} from '@personae/knowledge';
import { openServiceDataSource } from '@personae/persistence';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ScriptedEmbeddingsServer } from './scripted-embeddings.server';

/** Snapshots on real Postgres: ingest, seal, immutability, clean failure, retrieval quality. */
describe('knowledge snapshots', () => {
  let dataSource: DataSource;
  let index: EmbeddedVectorIndex;
  const hashing = new HashingEmbedder();
  const tenantId = `snapshots-${randomBytes(4).toString('hex')}`;
  const ingest = (embedder: Embedder = hashing) => new IngestSnapshot(dataSource, embedder, index);
  const search = (embedder: Embedder = hashing) => new SearchSnapshot(dataSource, embedder, index);

  beforeAll(async () => {
    dataSource = await openServiceDataSource(
      process.env.DATABASE_URL ?? '',
      { schema: KNOWLEDGE_SCHEMA, migrations: KNOWLEDGE_MIGRATIONS },
      4,
    );
    index = new EmbeddedVectorIndex(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number(((await dataSource.query(sql, params)) as { n: string }[])[0]!.n);

  it('retrieves the chunk holding the answer first, for each question about a set of documents', async () => {
    const documents = [
      {
        source: 'onboarding.md',
        text:
          'New employees receive a laptop on their first day. The IT desk is on the third floor.\n\n' +
          'Badges are collected from reception; a lost badge costs twenty euros to replace.',
      },
      {
        source: 'expenses.md',
        text:
          'Meals during business travel are reimbursed up to forty euros per day. Keep every receipt.\n\n' +
          'Mileage for private cars is paid at thirty cents per kilometre.',
      },
      {
        source: 'security.md',
        text:
          'Passwords must be at least fourteen characters long and rotated yearly.\n\n' +
          'Report phishing emails to the security team using the report button in the mail client.',
      },
      {
        source: 'leave.md',
        text:
          'Full-time staff get twenty-eight days of annual leave. Unused leave expires at the end of March.\n\n' +
          'Parental leave is sixteen weeks at full pay.',
      },
    ];
    const snapshot = await ingest().execute({
      tenantId,
      createdBy: 'test',
      documents,
      chunking: { maxChars: 120, overlapChars: 0 },
    });
    const questions: [string, string][] = [
      ['How much does it cost to replace a lost badge?', 'lost badge'],
      ['What is the daily limit for meals when travelling?', 'Meals during business travel'],
      ['How long must a password be?', 'fourteen characters'],
      ['How many weeks of parental leave do I get?', 'Parental leave'],
      ['Which floor is the IT desk on?', 'IT desk'],
      ['What is the mileage rate per kilometre for my car?', 'Mileage'],
    ];
    for (const [question, expected] of questions) {
      const [first] = await search().execute({
        tenantId,
        snapshotId: snapshot.snapshotId,
        query: question,
        k: 3,
      });
      expect({ question, first: first?.text }).toEqual({
        question,
        first: expect.stringContaining(expected),
      });
    }
  });

  it('seals: the digest covers every stored chunk, and the database refuses any change after', async () => {
    const result = await ingest().execute({
      tenantId,
      createdBy: 'test',
      label: 'sealed',
      documents: [{ source: 'a.md', tags: ['t'], text: 'One sentence here. '.repeat(200) }],
    });
    const rows = (await dataSource.query(
      `SELECT id, content_hash FROM knowledge.chunks WHERE snapshot_id = $1`,
      [result.snapshotId],
    )) as { id: string; content_hash: string }[];
    expect(rows).toHaveLength(result.chunks);
    expect(
      manifestDigest({
        snapshot: result.snapshotId,
        embedder: hashing.id,
        chunks: rows.map((r) => ({ id: r.id, contentHash: r.content_hash })),
      }),
    ).toBe(result.manifestDigest);
    expect(await new SnapshotQueries(dataSource).get(tenantId, result.snapshotId)).toMatchObject({
      state: 'sealed',
      label: 'sealed',
      chunks: result.chunks,
      sources: 1,
    });

    await expect(
      dataSource.query(`UPDATE knowledge.chunks SET text = 'tampered' WHERE snapshot_id = $1`, [
        result.snapshotId,
      ]),
    ).rejects.toThrow(/is sealed/);
    await expect(
      dataSource.query(
        `INSERT INTO knowledge.chunks (snapshot_id, id, ordinal, content_hash, source, text)
         VALUES ($1, 'ffffffffffffffffffffffffffffffff', 99999, $2, 'x', 'x')`,
        [result.snapshotId, `sha256:${'0'.repeat(64)}`],
      ),
    ).rejects.toThrow(/is sealed/);
    await expect(
      dataSource.query(`DELETE FROM knowledge.chunks WHERE snapshot_id = $1`, [result.snapshotId]),
    ).rejects.toThrow(/is sealed/);
    await expect(
      dataSource.query(`UPDATE knowledge.snapshots SET manifest_digest = $2 WHERE id = $1`, [
        result.snapshotId,
        `sha256:${'1'.repeat(64)}`,
      ]),
    ).rejects.toThrow(/is sealed/);
    await expect(
      dataSource.query(`DELETE FROM knowledge.snapshots WHERE id = $1`, [result.snapshotId]),
    ).rejects.toThrow(/is sealed/);
  });

  it('leaves nothing behind when a later document is refused', async () => {
    const failing = `failing-${randomBytes(3).toString('hex')}`;
    async function* documents() {
      yield { source: 'good.md', text: 'A good document with several sentences. '.repeat(500) };
      yield { source: '', text: 'refused: no source' };
    }
    const error = (await ingest()
      .execute({ tenantId: failing, createdBy: 'test', documents: documents() })
      .catch((e: unknown) => e)) as KnowledgeRefusal;
    expect(error).toBeInstanceOf(KnowledgeRefusal);
    expect(error.field).toBe('documents[1].source');
    expect(await count(`SELECT count(*) AS n FROM knowledge.snapshots WHERE tenant_id = $1`, [failing])).toBe(
      0,
    );
    expect(await count(`SELECT count(*) AS n FROM knowledge.vectors WHERE tenant_id = $1`, [failing])).toBe(
      0,
    );
    expect(
      await count(`SELECT count(*) AS n FROM knowledge.vector_sets WHERE tenant_id = $1`, [failing]),
    ).toBe(0);
  });

  it('ingests a 24 MB stream without holding it, chunk batches written as it reads', async () => {
    const paragraph = Array.from(
      { length: 12 },
      (_, i) => `Line ${i} of a long manual about pumps and valves.`,
    ).join(' ');
    const piece = Buffer.from(`${paragraph}\n\n`.repeat(100));
    const pieces = Math.ceil((24 * 1024 * 1024) / piece.length);
    let read = 0;
    let firstWriteAt = -1;
    async function* stream() {
      for (let i = 0; i < pieces; i++) {
        read++;
        yield piece;
      }
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    const originalWrite = index.upsert.bind(index);
    index.upsert = async (scope, points, options) => {
      if (firstWriteAt < 0) firstWriteAt = read;
      return originalWrite(scope, points, options);
    };
    try {
      const result = await ingest().execute({
        tenantId,
        createdBy: 'test',
        documents: [{ source: 'manual.txt', text: stream() }],
      });
      expect(result.chunks).toBeGreaterThan(20_000);
      expect(result.textBytes).toBeGreaterThan(24 * 1024 * 1024);
    } finally {
      clearInterval(sampler);
      index.upsert = originalWrite;
    }
    // The first batches were written long before the stream ended, and the heap never held the input.
    expect(firstWriteAt).toBeGreaterThan(0);
    expect(firstWriteAt).toBeLessThan(pieces / 4);
    expect(peak - before).toBeLessThan(96 * 1024 * 1024);
  }, 120_000);

  it('searches with the embedder the snapshot was built with, and refuses another', async () => {
    const server = await ScriptedEmbeddingsServer.start();
    try {
      server.answer((text) => Array.from(hashing.embedOne(text)));
      const remote = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'scripted-embed' });
      const result = await ingest(remote).execute({
        tenantId,
        createdBy: 'test',
        documents: [
          { source: 'cats.md', text: 'Cats sleep for most of the day and hunt at dusk.' },
          { source: 'rust.md', text: 'Rust prevents data races with ownership and borrowing.' },
        ],
      });
      expect(result.embedder).toBe('scripted-embed');
      const [first] = await search(remote).execute({
        tenantId,
        snapshotId: result.snapshotId,
        query: 'borrowing ownership',
        k: 1,
      });
      expect(first?.source).toBe('rust.md');
      await expect(
        search(hashing).execute({ tenantId, snapshotId: result.snapshotId, query: 'cats', k: 1 }),
      ).rejects.toThrow(/embedded with scripted-embed; this service embeds with hashing-v1@512/);
    } finally {
      await server.close();
    }
  });
});
