import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { EMBEDDER, type Embedder } from '../embedder.port';
import { KnowledgeRefusal } from '../domain/knowledge-refusal';
import type { SearchHit } from '../domain/snapshot';
import { KNOWLEDGE_SCHEMA } from '../store/migrations';
import { VECTOR_INDEX, type VectorFilter, type VectorIndex } from '../vector-index.port';

export interface SearchSnapshotInput {
  tenantId: string;
  snapshotId: string;
  query: string;
  k: number;
  filter?: VectorFilter;
}

const SEALED_CACHE = 10_000;

/**
 * Top-k chunks of a sealed snapshot for a question: the query is embedded with the embedder the
 * snapshot was built with (refused if this process runs another one), searched in the vector index,
 * and the hits' texts read back from the snapshot's chunks.
 */
@Injectable()
export class SearchSnapshot {
  /** Sealed snapshots never change: their embedder id is remembered (tenant + id → embedder). */
  private readonly sealed = new Map<string, string>();

  constructor(
    @InjectDataSource(KNOWLEDGE_SCHEMA) private readonly dataSource: DataSource,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(VECTOR_INDEX) private readonly index: VectorIndex,
  ) {}

  async execute(input: SearchSnapshotInput): Promise<SearchHit[]> {
    const embedderId = await this.sealedEmbedder(input.tenantId, input.snapshotId);
    if (embedderId !== this.embedder.id)
      throw new KnowledgeRefusal(
        'conflict',
        'snapshot',
        `the snapshot was embedded with ${embedderId}; this service embeds with ${this.embedder.id}`,
      );
    const [vector] = await this.embedder.embed([input.query]);
    const scope = { tenantId: input.tenantId, snapshotId: input.snapshotId };
    const hits = await this.index.search(scope, vector!, input.k, input.filter);
    if (hits.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT id, text FROM knowledge.chunks WHERE snapshot_id = $1 AND id = ANY($2::text[])`,
      [input.snapshotId, hits.map((h) => h.id)],
    )) as { id: string; text: string }[];
    const texts = new Map(rows.map((r) => [r.id, r.text]));
    return hits.map((hit) => ({
      chunkId: hit.id,
      score: hit.score,
      text: texts.get(hit.id) ?? '',
      source: hit.payload.source,
      tags: hit.payload.tags,
      ordinal: hit.payload.ordinal,
    }));
  }

  private async sealedEmbedder(tenantId: string, snapshotId: string): Promise<string> {
    const key = `${tenantId}\u0000${snapshotId}`;
    const known = this.sealed.get(key);
    if (known) return known;
    const [row] = (await this.dataSource.query(
      `SELECT state, embedder FROM knowledge.snapshots WHERE id = $1 AND tenant_id = $2`,
      [snapshotId, tenantId],
    )) as { state: string; embedder: string }[];
    if (!row) throw new KnowledgeRefusal('not-found', 'id', `no knowledge snapshot ${snapshotId}`);
    if (row.state !== 'sealed')
      throw new KnowledgeRefusal('conflict', 'id', `knowledge snapshot ${snapshotId} is still being built`);
    if (this.sealed.size >= SEALED_CACHE) this.sealed.clear();
    this.sealed.set(key, row.embedder);
    return row.embedder;
  }
}
