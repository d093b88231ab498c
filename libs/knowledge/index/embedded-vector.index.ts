import type { DataSource, EntityManager } from 'typeorm';
import { VectorMatrix } from '../domain/vector-matrix';
import {
  VectorDimensionError,
  type SnapshotScope,
  type VectorFilter,
  type VectorHit,
  type VectorIndex,
  type VectorPoint,
} from '../vector-index.port';

export interface EmbeddedVectorIndexOptions {
  /** Memory for snapshots' matrices kept in process, least recently used dropped first; default 512 MiB. */
  cacheBytes?: number;
  /** Rows read per query when loading a snapshot; default 2000. */
  pageSize?: number;
}

interface Cached {
  generation: string;
  matrix: VectorMatrix;
}

const WRITE_BATCH = 500;

/**
 * The default vector index: vectors persisted in Postgres (`knowledge.vectors`, float32 bytes) and
 * searched in process. A snapshot's vectors are loaded once into a column-major matrix and cached
 * (LRU by bytes); every write bumps the set's generation, so each search checks one small row and
 * reloads only when another writer (or replica) changed the set. Search is exact (no approximation).
 */
export class EmbeddedVectorIndex implements VectorIndex {
  readonly kind = 'embedded' as const;
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Cached | undefined>>();
  private readonly cacheBytes: number;
  private readonly pageSize: number;

  constructor(
    private readonly dataSource: DataSource,
    options: EmbeddedVectorIndexOptions = {},
  ) {
    this.cacheBytes = options.cacheBytes ?? 512 * 1024 * 1024;
    this.pageSize = options.pageSize ?? 2000;
  }

  async upsert(scope: SnapshotScope, points: readonly VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    const dimension = points[0]!.vector.length;
    for (const point of points)
      if (point.vector.length !== dimension) throw new VectorDimensionError(dimension, point.vector.length);
    await this.dataSource.transaction(async (manager) => {
      const [set] = (await manager.query(
        `INSERT INTO knowledge.vector_sets (tenant_id, snapshot_id, dimension) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, snapshot_id) DO UPDATE SET generation = vector_sets.generation + 1
         RETURNING dimension`,
        [scope.tenantId, scope.snapshotId, dimension],
      )) as { dimension: number }[];
      if (set && set.dimension !== dimension) throw new VectorDimensionError(set.dimension, dimension);
      for (let start = 0; start < points.length; start += WRITE_BATCH)
        await this.write(manager, scope, points.slice(start, start + WRITE_BATCH));
    });
    this.cache.delete(key(scope));
  }

  async search(
    scope: SnapshotScope,
    vector: Float32Array,
    k: number,
    filter?: VectorFilter,
  ): Promise<VectorHit[]> {
    const cached = await this.matrix(scope);
    if (!cached) return [];
    if (cached.matrix.dimension !== vector.length)
      throw new VectorDimensionError(cached.matrix.dimension, vector.length);
    return cached.matrix.search(vector, k, filter);
  }

  async deleteSnapshot(scope: SnapshotScope): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM knowledge.vector_sets WHERE tenant_id = $1 AND snapshot_id = $2`,
      [scope.tenantId, scope.snapshotId],
    );
    this.cache.delete(key(scope));
  }

  /** Drops every cached matrix (tests and benchmarks measure cold loads with it). */
  clearCache(): void {
    this.cache.clear();
  }

  private async write(
    manager: EntityManager,
    scope: SnapshotScope,
    points: readonly VectorPoint[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO knowledge.vectors (tenant_id, snapshot_id, point_id, vector, source, tags, ordinal)
       SELECT $1, $2, p.id, p.vector, p.source, ARRAY(SELECT jsonb_array_elements_text(p.tags)), p.ordinal
         FROM unnest($3::text[], $4::bytea[], $5::text[], $6::jsonb[], $7::int[])
           AS p (id, vector, source, tags, ordinal)
       ON CONFLICT (tenant_id, snapshot_id, point_id) DO UPDATE
         SET vector = EXCLUDED.vector, source = EXCLUDED.source, tags = EXCLUDED.tags, ordinal = EXCLUDED.ordinal`,
      [
        scope.tenantId,
        scope.snapshotId,
        points.map((p) => p.id),
        points.map((p) => Buffer.from(p.vector.buffer, p.vector.byteOffset, p.vector.byteLength)),
        points.map((p) => p.payload.source),
        points.map((p) => JSON.stringify(p.payload.tags)),
        points.map((p) => p.payload.ordinal),
      ],
    );
  }

  private async matrix(scope: SnapshotScope): Promise<Cached | undefined> {
    const id = key(scope);
    const [set] = (await this.dataSource.query(
      `SELECT generation::text AS generation FROM knowledge.vector_sets WHERE tenant_id = $1 AND snapshot_id = $2`,
      [scope.tenantId, scope.snapshotId],
    )) as { generation: string }[];
    if (!set) {
      this.cache.delete(id);
      return undefined;
    }
    const hit = this.cache.get(id);
    if (hit && hit.generation === set.generation) {
      // Map order is the LRU order: move to the most recent end.
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    // Concurrent searches of a cold snapshot share one load.
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(scope).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    const loaded = await pending;
    if (loaded) this.remember(id, loaded);
    return loaded;
  }

  /** Reads the set in pages within one snapshot of the database, so generation, count and rows agree. */
  private async load(scope: SnapshotScope): Promise<Cached | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const [set] = (await runner.query(
        `SELECT s.generation::text AS generation, s.dimension,
                (SELECT count(*)::int FROM knowledge.vectors v
                  WHERE v.tenant_id = s.tenant_id AND v.snapshot_id = s.snapshot_id) AS rows
           FROM knowledge.vector_sets s WHERE s.tenant_id = $1 AND s.snapshot_id = $2`,
        [scope.tenantId, scope.snapshotId],
      )) as { generation: string; dimension: number; rows: number }[];
      if (!set) {
        await runner.commitTransaction();
        return undefined;
      }
      const matrix = new VectorMatrix(set.rows, set.dimension);
      let row = 0;
      let after = '';
      while (row < set.rows) {
        const page = (await runner.query(
          `SELECT point_id, vector, source, tags, ordinal FROM knowledge.vectors
            WHERE tenant_id = $1 AND snapshot_id = $2 AND point_id > $3
            ORDER BY point_id LIMIT $4`,
          [scope.tenantId, scope.snapshotId, after, this.pageSize],
        )) as { point_id: string; vector: Buffer; source: string; tags: string[]; ordinal: number }[];
        if (page.length === 0) break;
        for (const r of page) {
          matrix.set(row++, r.point_id, floats(r.vector), {
            source: r.source,
            tags: r.tags,
            ordinal: r.ordinal,
          });
        }
        after = page[page.length - 1]!.point_id;
      }
      await runner.commitTransaction();
      return { generation: set.generation, matrix };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private remember(id: string, entry: Cached): void {
    this.cache.delete(id);
    if (entry.matrix.bytes > this.cacheBytes) return;
    this.cache.set(id, entry);
    let total = 0;
    for (const cached of this.cache.values()) total += cached.matrix.bytes;
    for (const [oldest, cached] of this.cache) {
      if (total <= this.cacheBytes) break;
      this.cache.delete(oldest);
      total -= cached.matrix.bytes;
    }
  }
}

function key(scope: SnapshotScope): string {
  return `${scope.tenantId}\u0000${scope.snapshotId}`;
}

/** A float32 view of bytea bytes (copied when unaligned: pg's buffers share a pool). */
function floats(bytes: Buffer): Float32Array {
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
