import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import {
  type ChunkPayload,
  type SnapshotScope,
  type VectorFilter,
  type VectorHit,
  type VectorIndex,
  type VectorPoint,
} from '../vector-index.port';

export interface QdrantVectorIndexOptions {
  url: string;
  apiKey?: string;
  /** Collections are named `<prefix>_<dimension>`; default `personae_knowledge`. */
  collectionPrefix?: string;
  /** Exact (brute-force) search instead of HNSW; default false. */
  exact?: boolean;
  timeoutMs?: number;
}

const WRITE_BATCH = 256;

interface StoredPayload {
  tenant_id: string;
  snapshot_id: string;
  point_id: string;
  source: string;
  tags: string[];
  ordinal: number;
}

/**
 * Vectors in Qdrant, one collection per vector dimension with every tenant's snapshots in it,
 * partitioned by payload (`tenant_id` indexed with `is_tenant`, `snapshot_id`), as Qdrant advises for
 * many small tenants: a collection per snapshot would mean thousands of collections, each with its
 * own segments, WAL and HNSW graph, and a create/delete round trip per snapshot. Deleting a snapshot
 * is a delete-by-filter. Point ids are UUIDs derived from (tenant, snapshot, chunk id).
 */
export class QdrantVectorIndex implements VectorIndex {
  readonly kind = 'qdrant' as const;
  private readonly client: QdrantClient;
  private readonly prefix: string;
  private readonly ready = new Map<number, Promise<void>>();

  constructor(private readonly options: QdrantVectorIndexOptions) {
    this.client = new QdrantClient({
      url: options.url,
      apiKey: options.apiKey,
      timeout: options.timeoutMs ?? 30_000,
      checkCompatibility: false,
    });
    this.prefix = options.collectionPrefix ?? 'personae_knowledge';
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(this.prefix)) throw new Error('invalid Qdrant collection prefix');
  }

  async upsert(scope: SnapshotScope, points: readonly VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    const dimension = points[0]!.vector.length;
    await this.ensureCollection(dimension);
    for (let start = 0; start < points.length; start += WRITE_BATCH) {
      const batch = points.slice(start, start + WRITE_BATCH).map((point) => {
        const payload: StoredPayload = {
          tenant_id: scope.tenantId,
          snapshot_id: scope.snapshotId,
          point_id: point.id,
          source: point.payload.source,
          tags: point.payload.tags,
          ordinal: point.payload.ordinal,
        };
        return { id: pointUuid(scope, point.id), vector: Array.from(point.vector), payload: { ...payload } };
      });
      await this.client.upsert(this.collection(dimension), { wait: true, points: batch });
    }
  }

  async search(
    scope: SnapshotScope,
    vector: Float32Array,
    k: number,
    filter?: VectorFilter,
  ): Promise<VectorHit[]> {
    if (!(await this.exists(vector.length))) return [];
    const result = await this.client.query(this.collection(vector.length), {
      query: Array.from(vector),
      limit: k,
      filter: { must: conditions(scope, filter) },
      with_payload: true,
      params: { exact: this.options.exact ?? false },
    });
    return result.points.map((point) => {
      const payload = point.payload as unknown as StoredPayload;
      const chunk: ChunkPayload = { source: payload.source, tags: payload.tags, ordinal: payload.ordinal };
      return { id: payload.point_id, score: point.score, payload: chunk };
    });
  }

  async deleteSnapshot(scope: SnapshotScope): Promise<void> {
    const { collections } = await this.client.getCollections();
    for (const { name } of collections) {
      if (!name.startsWith(`${this.prefix}_`)) continue;
      await this.client.delete(name, { wait: true, filter: { must: conditions(scope, undefined) } });
    }
  }

  private collection(dimension: number): string {
    return `${this.prefix}_${dimension}`;
  }

  private async exists(dimension: number): Promise<boolean> {
    if (this.ready.has(dimension)) return true;
    return (await this.client.collectionExists(this.collection(dimension))).exists;
  }

  private ensureCollection(dimension: number): Promise<void> {
    let ready = this.ready.get(dimension);
    if (!ready) {
      ready = this.create(dimension).catch((error: unknown) => {
        this.ready.delete(dimension);
        throw error;
      });
      this.ready.set(dimension, ready);
    }
    return ready;
  }

  private async create(dimension: number): Promise<void> {
    const name = this.collection(dimension);
    if (!(await this.client.collectionExists(name)).exists) {
      try {
        await this.client.createCollection(name, { vectors: { size: dimension, distance: 'Cosine' } });
      } catch (error) {
        // Another process created it between the check and the create.
        if (!(await this.client.collectionExists(name)).exists) throw error;
      }
    }
    await this.client.createPayloadIndex(name, {
      wait: true,
      field_name: 'tenant_id',
      field_schema: { type: 'keyword', is_tenant: true },
    });
    for (const field of ['snapshot_id', 'source', 'tags'])
      await this.client.createPayloadIndex(name, { wait: true, field_name: field, field_schema: 'keyword' });
  }
}

type Condition = { key: string; match: { value: string } | { any: string[] } };

function conditions(scope: SnapshotScope, filter: VectorFilter | undefined): Condition[] {
  const must: Condition[] = [
    { key: 'tenant_id', match: { value: scope.tenantId } },
    { key: 'snapshot_id', match: { value: scope.snapshotId } },
  ];
  if (filter?.sources && filter.sources.length > 0)
    must.push({ key: 'source', match: { any: filter.sources } });
  for (const tag of filter?.tags ?? []) must.push({ key: 'tags', match: { value: tag } });
  return must;
}

/** Qdrant accepts unsigned integers or UUIDs as point ids: a UUID from sha256 of the full address. */
export function pointUuid(scope: SnapshotScope, id: string): string {
  const hex = createHash('sha256').update(`${scope.tenantId}\n${scope.snapshotId}\n${id}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
