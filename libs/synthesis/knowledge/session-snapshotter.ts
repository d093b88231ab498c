import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { ObjectIntegrityError, ObjectNotFoundError, type ObjectStore } from '@personae/storage';
import type { DataSource } from 'typeorm';
import type { KnowledgeSource } from '../domain/knowledge-sources';
import type { StoredSnapshot } from '../store/runs.store';
import { EMBEDDER_ID, embed } from './hashing-embedder';
import { chunkStream } from './stream-chunker';

const BATCH = 128;
/** Media types read as text; others (PDF, images) are skipped and reported. */
const TEXT_TYPES = /^(text\/|application\/(json|x-yaml|yaml|xml|x-ndjson|markdown))/;

interface PendingChunk {
  ordinal: number;
  chunkId: string;
  contentHash: string;
  source: string;
  text: string;
}

/**
 * Builds the session's knowledge snapshot: streams each source (attachments decrypted from the object
 * store, approved answers inline), chunks and embeds it in batches, and seals the snapshot with its
 * manifest digest — SHA-256 over `chunkId contentHash` lines in order. The id derives from the session,
 * so a rerun finds the sealed snapshot instead of building another; a run that crashed midway leaves
 * unsealed chunks, removed before rebuilding.
 */
export class SessionSnapshotter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly objects: ObjectStore,
  ) {}

  async build(
    tenantId: string,
    sessionId: string,
    sources: readonly KnowledgeSource[],
  ): Promise<StoredSnapshot> {
    const snapshotId = `ks-session-${sessionId}`;
    const sourceEvents = Object.fromEntries(sources.map((s) => [s.id, s.events]));
    const sealed = await this.sealed(snapshotId);
    const skipped: StoredSnapshot['skipped'] = [];
    const readable: KnowledgeSource[] = [];
    for (const source of sources) {
      const reason = await this.unreadable(source);
      if (reason) skipped.push({ source: source.id, reason });
      else readable.push(source);
    }
    if (sealed) return { ref: sealed.ref, sources: sealed.sources, skipped, sourceEvents };

    await this.dataSource.query(`DELETE FROM synthesis.knowledge_chunks WHERE snapshot_id = $1`, [
      snapshotId,
    ]);
    const manifest = createHash('sha256');
    const contributed = new Set<string>();
    let ordinal = 0;
    let batch: PendingChunk[] = [];
    for (const source of readable) {
      for await (const text of chunkStream(await this.textOf(source))) {
        const contentHash = createHash('sha256').update(text).digest('hex');
        const chunkId = createHash('sha256')
          .update(`${snapshotId}:${ordinal}:${contentHash}`)
          .digest('hex')
          .slice(0, 32);
        manifest.update(`${chunkId} ${contentHash}\n`);
        batch.push({ ordinal, chunkId, contentHash, source: source.id, text });
        contributed.add(source.id);
        ordinal += 1;
        if (batch.length >= BATCH) {
          await this.write(snapshotId, batch);
          batch = [];
        }
      }
    }
    await this.write(snapshotId, batch);
    const ref = {
      snapshot: snapshotId,
      embedder: EMBEDDER_ID,
      manifestDigest: `sha256:${manifest.digest('hex')}`,
      chunks: ordinal,
    };
    const used = readable.map((s) => s.id).filter((id) => contributed.has(id));
    if (ordinal > 0)
      await this.dataSource.query(
        `INSERT INTO synthesis.knowledge_snapshots (snapshot_id, tenant_id, session_id, embedder, manifest_digest, chunks)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (snapshot_id) DO NOTHING`,
        [snapshotId, tenantId, sessionId, EMBEDDER_ID, ref.manifestDigest, ordinal],
      );
    return { ref, sources: used, skipped, sourceEvents };
  }

  /** Recomputes a sealed snapshot's manifest digest from its stored chunks (what a verifier does). */
  async verify(snapshotId: string): Promise<string> {
    const rows: { chunk_id: string; content_hash: string }[] = await this.dataSource.query(
      `SELECT chunk_id, content_hash FROM synthesis.knowledge_chunks WHERE snapshot_id = $1 ORDER BY ordinal`,
      [snapshotId],
    );
    const manifest = createHash('sha256');
    for (const row of rows) manifest.update(`${row.chunk_id} ${row.content_hash}\n`);
    return `sha256:${manifest.digest('hex')}`;
  }

  private async sealed(
    snapshotId: string,
  ): Promise<{ ref: StoredSnapshot['ref']; sources: string[] } | undefined> {
    const rows: { embedder: string; manifest_digest: string; chunks: number }[] = await this.dataSource.query(
      `SELECT embedder, manifest_digest, chunks FROM synthesis.knowledge_snapshots WHERE snapshot_id = $1`,
      [snapshotId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const sources: { source: string }[] = await this.dataSource.query(
      `SELECT source FROM synthesis.knowledge_chunks WHERE snapshot_id = $1 GROUP BY source ORDER BY min(ordinal)`,
      [snapshotId],
    );
    return {
      ref: {
        snapshot: snapshotId,
        embedder: row.embedder,
        manifestDigest: row.manifest_digest,
        chunks: row.chunks,
      },
      sources: sources.map((s) => s.source),
    };
  }

  private async unreadable(source: KnowledgeSource): Promise<string | undefined> {
    if (source.kind === 'answer') return undefined;
    if (!TEXT_TYPES.test(source.mediaType)) return `media type ${source.mediaType || 'unknown'} is not text`;
    const info = await this.objects.head(source.objectKey);
    if (!info) return `object ${source.objectKey} not found`;
    if (source.sha256 && info.sha256 && info.sha256 !== source.sha256)
      return 'stored content does not match the uploaded SHA-256';
    return undefined;
  }

  private async textOf(source: KnowledgeSource): Promise<AsyncIterable<string> | string[]> {
    if (source.kind === 'answer') return [source.text];
    try {
      return decode((await this.objects.open(source.objectKey)).body);
    } catch (error) {
      if (error instanceof ObjectNotFoundError || error instanceof ObjectIntegrityError)
        throw new Error(`attachment ${source.id}: ${error.message}`);
      throw error;
    }
  }

  private async write(snapshotId: string, chunks: readonly PendingChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const values: unknown[] = [];
    const rows = chunks.map((c) => {
      values.push(snapshotId, c.ordinal, c.chunkId, c.contentHash, c.source, c.text, embed(c.text));
      const n = values.length;
      return `($${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await this.dataSource.query(
      `INSERT INTO synthesis.knowledge_chunks (snapshot_id, ordinal, chunk_id, content_hash, source, text, vector) VALUES ${rows.join(', ')}`,
      values,
    );
  }
}

/** UTF-8 text pieces of a byte stream, never splitting a character across pieces. */
async function* decode(body: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const bytes of body) yield decoder.write(bytes as Buffer);
  const rest = decoder.end();
  if (rest) yield rest;
}
