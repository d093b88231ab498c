import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { VectorMatrix } from '../domain/vector-matrix';
import {
  VectorDimensionError,
  type SearchOptions,
  type SnapshotScope,
  type UpsertOptions,
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

const WRITE_BATCH = 1000;
interface VectorRow {
  point_id: string;
  /** base64 of the float32 bytes. */
  vector: string;
  source: string;
  tags: string[];
  ordinal: number;
}

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

  /**
   * One statement per batch (set row, generation bump and points together): under load every round trip
   * costs, so a batch is written in one.
   */
  async upsert(
    scope: SnapshotScope,
    points: readonly VectorPoint[],
    options: UpsertOptions = {},
  ): Promise<void> {
    if (points.length === 0) return;
    const dimension = points[0]!.vector.length;
    for (const point of points)
      if (point.vector.length !== dimension) throw new VectorDimensionError(dimension, point.vector.length);
    for (let start = 0; start < points.length; start += WRITE_BATCH) {
      const batch = points.slice(start, start + WRITE_BATCH);
      const [result] = await this.dataSource.query<{ dimension: number; written: number }[]>(
        `WITH config AS (SELECT set_config('synchronous_commit', $9, true)),
              bytes AS (SELECT decode($5::text, 'base64') AS all_vectors),
              vector_set AS (
                INSERT INTO knowledge.vector_sets (tenant_id, snapshot_id, dimension) VALUES ($1, $2, $3)
                ON CONFLICT (tenant_id, snapshot_id) DO UPDATE SET generation = vector_sets.generation + 1
                RETURNING dimension),
              written AS (
                INSERT INTO knowledge.vectors (tenant_id, snapshot_id, point_id, vector, source, tags, ordinal)
                SELECT $1, $2, p.id, substring(bytes.all_vectors FROM ((p.n - 1) * $3 * 4 + 1)::int FOR $3 * 4),
                       p.source, ARRAY(SELECT jsonb_array_elements_text(p.tags)), p.ordinal
                  FROM unnest($4::text[], $6::text[], $7::jsonb[], $8::int[]) WITH ORDINALITY
                    AS p (id, source, tags, ordinal, n),
                       vector_set, config, bytes
                 WHERE vector_set.dimension = $3
                ON CONFLICT (tenant_id, snapshot_id, point_id) DO UPDATE
                  SET vector = EXCLUDED.vector, source = EXCLUDED.source, tags = EXCLUDED.tags,
                      ordinal = EXCLUDED.ordinal
                RETURNING 1)
         SELECT (SELECT dimension FROM vector_set) AS dimension, (SELECT count(*)::int FROM written) AS written`,
        [
          scope.tenantId,
          scope.snapshotId,
          dimension,
          batch.map((p) => p.id),
          // All vectors as one base64 text: one string to decode, a third shorter than bytea's hex.
          Buffer.concat(
            batch.map((p) => new Uint8Array(p.vector.buffer, p.vector.byteOffset, p.vector.byteLength)),
          ).toString('base64'),
          batch.map((p) => p.payload.source),
          batch.map((p) => JSON.stringify(p.payload.tags)),
          batch.map((p) => p.payload.ordinal),
          options.deferDurability ? 'off' : 'on',
        ],
      );
      if (result && result.dimension !== dimension)
        throw new VectorDimensionError(result.dimension, dimension);
    }
    this.cache.delete(key(scope));
  }

  async search(
    scope: SnapshotScope,
    vector: Float32Array,
    k: number,
    filter?: VectorFilter,
    options: SearchOptions = {},
  ): Promise<VectorHit[]> {
    const cached = await this.matrix(scope, options.immutable ?? false);
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

  private async matrix(scope: SnapshotScope, immutable: boolean): Promise<Cached | undefined> {
    const id = key(scope);
    const known = immutable ? this.cache.get(id) : undefined;
    if (known) {
      this.touch(id, known);
      return known;
    }
    const [set] = await this.dataSource.query<{ generation: string }[]>(
      `SELECT generation::text AS generation FROM knowledge.vector_sets WHERE tenant_id = $1 AND snapshot_id = $2`,
      [scope.tenantId, scope.snapshotId],
    );
    if (!set) {
      this.cache.delete(id);
      return undefined;
    }
    const hit = this.cache.get(id);
    if (hit && hit.generation === set.generation) {
      this.touch(id, hit);
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

  /**
   * Reads the set in pages within one snapshot of the database, so generation, count and rows agree,
   * each page written into the column-major matrix as a block.
   */
  private async load(scope: SnapshotScope): Promise<Cached | undefined> {
    const driver = this.dataSource.driver as PostgresDriver;
    const [client, release] = (await driver.obtainMasterConnection()) as [
      PoolClient,
      (error?: unknown) => void,
    ];
    let failure: unknown;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: sets } = await client.query<{ generation: string; dimension: number; rows: number }>(
        `SELECT s.generation::text AS generation, s.dimension,
                (SELECT count(*)::int FROM knowledge.vectors v
                  WHERE v.tenant_id = s.tenant_id AND v.snapshot_id = s.snapshot_id) AS rows
           FROM knowledge.vector_sets s WHERE s.tenant_id = $1 AND s.snapshot_id = $2`,
        [scope.tenantId, scope.snapshotId],
      );
      const set = sets[0];
      if (!set) return undefined;
      const matrix = new VectorMatrix(set.rows, set.dimension);
      const rowBytes = set.dimension * 4;
      // One aligned buffer per load: each page's vectors are decoded into it, then copied into the matrix.
      const pageBytes = Buffer.alloc(rowBytes * this.pageSize);
      const pageFloats = new Float32Array(pageBytes.buffer, pageBytes.byteOffset, pageBytes.length / 4);
      let row = 0;
      let after = '';
      while (row < set.rows) {
        // base64, not bytea's default hex: a third less text to send and to decode.
        const { rows: page } = await client.query<VectorRow>(
          `SELECT point_id, encode(vector, 'base64') AS vector, source, tags, ordinal FROM knowledge.vectors
            WHERE tenant_id = $1 AND snapshot_id = $2 AND point_id > $3
            ORDER BY point_id LIMIT $4`,
          [scope.tenantId, scope.snapshotId, after, this.pageSize],
        );
        if (page.length === 0) break;
        const vectors: Float32Array[] = [];
        page.forEach((r, j) => {
          const written = pageBytes.write(r.vector, j * rowBytes, rowBytes, 'base64');
          if (written !== rowBytes) throw new VectorDimensionError(set.dimension, written / 4);
          vectors.push(pageFloats.subarray(j * set.dimension, (j + 1) * set.dimension));
        });
        matrix.setRows(
          row,
          vectors,
          page.map((r) => r.point_id),
          page.map((r) => ({ source: r.source, tags: r.tags, ordinal: r.ordinal })),
        );
        row += page.length;
        after = page[page.length - 1]!.point_id;
      }
      return { generation: set.generation, matrix };
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      release(failure);
    }
  }

  /** Map order is the LRU order: move to the most recent end. */
  private touch(id: string, entry: Cached): void {
    this.cache.delete(id);
    this.cache.set(id, entry);
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
