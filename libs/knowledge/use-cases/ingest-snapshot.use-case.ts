import { Inject, Injectable } from '@nestjs/common';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { EMBEDDER, type Embedder } from '../embedder.port';
import { KnowledgeRefusal } from '../domain/knowledge-refusal';
import { chunkId, contentHash, ManifestHasher } from '../domain/snapshot-manifest';
import { documentProblems, type IngestedSnapshot, type KnowledgeDocument } from '../domain/snapshot';
import { chunkText, type ChunkingOptions } from '../domain/text-chunker';
import { KNOWLEDGE_SCHEMA } from '../store/migrations';
import { VECTOR_INDEX, type SnapshotScope, type VectorIndex } from '../vector-index.port';

export interface IngestSnapshotInput {
  tenantId: string;
  /** Who asked: a principal subject, or a service name for the synthesis pipeline. */
  createdBy: string;
  label?: string;
  documents: Iterable<KnowledgeDocument> | AsyncIterable<KnowledgeDocument>;
  chunking?: ChunkingOptions;
  /** Most chunks accepted; default 2,000,000. */
  maxChunks?: number;
}

/** Chunks embedded and written per round: bounds memory whatever the input size. */
const BATCH = 128;
const MANIFEST_PAGE = 5000;

interface PendingChunk {
  id: string;
  ordinal: number;
  contentHash: string;
  source: string;
  tags: string[];
  text: string;
}

/**
 * Chunks, embeds and stores documents as a new snapshot, then seals it: the manifest digest is
 * computed from the stored chunks in id order and the snapshot becomes immutable (database triggers).
 * Input is streamed: each batch of chunks is embedded and written while the next is being chunked, so
 * a 200 MB attachment needs a few batches of memory. Until sealed the snapshot is `building` and
 * invisible to search; on failure its rows and vectors are removed.
 */
@Injectable()
export class IngestSnapshot {
  constructor(
    @InjectDataSource(KNOWLEDGE_SCHEMA) private readonly dataSource: DataSource,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(VECTOR_INDEX) private readonly index: VectorIndex,
  ) {}

  async execute(input: IngestSnapshotInput): Promise<IngestedSnapshot> {
    const snapshotId = `ks-${uuidv7()}`;
    const scope: SnapshotScope = { tenantId: input.tenantId, snapshotId };
    await this.dataSource.query(
      `INSERT INTO knowledge.snapshots (id, tenant_id, state, embedder, label, created_by)
       VALUES ($1, $2, 'building', $3, $4, $5)`,
      [snapshotId, input.tenantId, this.embedder.id, input.label ?? '', input.createdBy],
    );
    try {
      const { chunks, sources, textBytes } = await this.fill(scope, input);
      if (chunks === 0)
        throw new KnowledgeRefusal('input', 'documents', 'the documents contain no text to index');
      const manifestDigest = await this.seal(snapshotId, chunks, sources, textBytes);
      return {
        snapshotId,
        manifestDigest,
        chunks,
        sources,
        textBytes,
        embedder: this.embedder.id,
        ref: { snapshot: snapshotId, embedder: this.embedder.id, manifestDigest, chunks },
      };
    } catch (error) {
      await this.discard(scope);
      throw error;
    }
  }

  private async fill(
    scope: SnapshotScope,
    input: IngestSnapshotInput,
  ): Promise<{ chunks: number; sources: number; textBytes: number }> {
    const maxChunks = input.maxChunks ?? 2_000_000;
    let ordinal = 0;
    let textBytes = 0;
    let sources = 0;
    let batch: PendingChunk[] = [];
    let writing: Promise<void> = Promise.resolve();
    const flush = async (): Promise<void> => {
      const full = batch;
      batch = [];
      // Embedding this batch overlaps the write of the previous one; at most one write is in flight.
      const vectors = await this.embedder.embed(full.map((c) => c.text));
      await writing;
      writing = this.write(scope, full, vectors);
    };
    let index = 0;
    try {
      for await (const document of input.documents) {
        const problems = documentProblems(document.source, document.tags);
        if (problems.length > 0)
          throw new KnowledgeRefusal(
            'input',
            `documents[${index}].${problems[0]!.field}`,
            problems[0]!.reason,
          );
        sources++;
        const tags = [...new Set(document.tags ?? [])];
        for await (const text of chunkText(document.text, input.chunking)) {
          if (ordinal >= maxChunks)
            throw new KnowledgeRefusal('too-large', 'documents', `more than ${maxChunks} chunks`);
          const hash = contentHash(text);
          batch.push({
            id: chunkId(scope.snapshotId, ordinal, hash),
            ordinal,
            contentHash: hash,
            source: document.source,
            tags,
            text,
          });
          ordinal++;
          textBytes += Buffer.byteLength(text, 'utf8');
          if (batch.length >= BATCH) await flush();
        }
        index++;
      }
      if (batch.length > 0) await flush();
      await writing;
    } catch (error) {
      // A write still in flight must settle before the snapshot is discarded (and not reject unobserved).
      await writing.catch(() => undefined);
      throw error;
    }
    return { chunks: ordinal, sources, textBytes };
  }

  private async write(scope: SnapshotScope, chunks: PendingChunk[], vectors: Float32Array[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO knowledge.chunks (snapshot_id, id, ordinal, content_hash, source, tags, text)
       SELECT $1, c.id, c.ordinal, c.hash, c.source, ARRAY(SELECT jsonb_array_elements_text(c.tags)), c.text
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::jsonb[], $7::text[])
           AS c (id, ordinal, hash, source, tags, text)`,
      [
        scope.snapshotId,
        chunks.map((c) => c.id),
        chunks.map((c) => c.ordinal),
        chunks.map((c) => c.contentHash),
        chunks.map((c) => c.source),
        chunks.map((c) => JSON.stringify(c.tags)),
        chunks.map((c) => c.text),
      ],
    );
    await this.index.upsert(
      scope,
      chunks.map((c, i) => ({
        id: c.id,
        vector: vectors[i]!,
        payload: { source: c.source, tags: c.tags, ordinal: c.ordinal },
      })),
    );
  }

  /** Hashes the manifest from the stored rows (id order, keyset pages), then seals in one statement. */
  private async seal(
    snapshotId: string,
    chunks: number,
    sources: number,
    textBytes: number,
  ): Promise<string> {
    const hasher = new ManifestHasher(snapshotId, this.embedder.id);
    let after = '';
    for (;;) {
      const page = (await this.dataSource.query(
        `SELECT id, content_hash FROM knowledge.chunks WHERE snapshot_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [snapshotId, after, MANIFEST_PAGE],
      )) as { id: string; content_hash: string }[];
      for (const row of page) hasher.add({ id: row.id, contentHash: row.content_hash });
      if (page.length < MANIFEST_PAGE) break;
      after = page[page.length - 1]!.id;
    }
    const digest = hasher.digest();
    await this.dataSource.query(
      `UPDATE knowledge.snapshots
          SET state = 'sealed', manifest_digest = $2, chunk_count = $3, source_count = $4, text_bytes = $5,
              sealed_at = now()
        WHERE id = $1 AND state = 'building'`,
      [snapshotId, digest, chunks, sources, textBytes],
    );
    return digest;
  }

  private async discard(scope: SnapshotScope): Promise<void> {
    await this.index.deleteSnapshot(scope).catch(() => undefined);
    await this.dataSource
      .query(`DELETE FROM knowledge.snapshots WHERE id = $1 AND state = 'building'`, [scope.snapshotId])
      .catch(() => undefined);
  }
}
