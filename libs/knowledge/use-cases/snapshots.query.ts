import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { KnowledgeRefusal } from '../domain/knowledge-refusal';
import type { ManifestEntry } from '../domain/snapshot-manifest';
import type { SnapshotSummary } from '../domain/snapshot';
import { KNOWLEDGE_SCHEMA } from '../store/migrations';

interface SnapshotRow {
  id: string;
  tenant_id: string;
  state: 'building' | 'sealed';
  embedder: string;
  label: string;
  manifest_digest: string | null;
  chunk_count: number;
  source_count: number;
  text_bytes: string;
  created_by: string;
  created_at: Date;
  sealed_at: Date | null;
}

/** Reads snapshots and their manifests, always within one tenant. */
@Injectable()
export class SnapshotQueries {
  constructor(@InjectDataSource(KNOWLEDGE_SCHEMA) private readonly dataSource: DataSource) {}

  async get(tenantId: string, snapshotId: string): Promise<SnapshotSummary> {
    const [row] = (await this.dataSource.query(
      `SELECT * FROM knowledge.snapshots WHERE id = $1 AND tenant_id = $2`,
      [snapshotId, tenantId],
    )) as SnapshotRow[];
    if (!row) throw new KnowledgeRefusal('not-found', 'id', `no knowledge snapshot ${snapshotId}`);
    return summary(row);
  }

  /** A page of the manifest in id order (the order it is hashed in), after `after`. */
  async manifest(
    tenantId: string,
    snapshotId: string,
    after: string,
    limit: number,
  ): Promise<{ snapshot: SnapshotSummary; entries: ManifestEntry[]; next: string | null }> {
    const snapshot = await this.get(tenantId, snapshotId);
    const rows = (await this.dataSource.query(
      `SELECT id, content_hash FROM knowledge.chunks WHERE snapshot_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [snapshotId, after, limit + 1],
    )) as { id: string; content_hash: string }[];
    const entries = rows.slice(0, limit).map((r) => ({ id: r.id, contentHash: r.content_hash }));
    return { snapshot, entries, next: rows.length > limit ? entries[entries.length - 1]!.id : null };
  }
}

function summary(row: SnapshotRow): SnapshotSummary {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    state: row.state,
    embedder: row.embedder,
    label: row.label,
    manifestDigest: row.manifest_digest,
    chunks: row.chunk_count,
    sources: row.source_count,
    textBytes: Number(row.text_bytes),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    sealedAt: row.sealed_at ? row.sealed_at.toISOString() : null,
  };
}
