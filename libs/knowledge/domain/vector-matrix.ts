import type { ChunkPayload, VectorFilter, VectorHit } from '../vector-index.port';
import { topK } from './top-k';

/**
 * A snapshot's vectors in one Float32Array, column-major (all rows' value of dimension 0, then of
 * dimension 1…): a query touches only the columns where it is non-zero, and reads each one
 * sequentially. Hashing-embedder queries have a few dozen non-zero dimensions out of 512, so a search
 * over 100k rows reads a few MB, not the whole matrix.
 */
export class VectorMatrix {
  readonly rows: number;
  readonly dimension: number;
  private readonly columns: Float32Array;
  private readonly ids: string[] = [];
  private readonly payloads: ChunkPayload[] = [];

  constructor(rows: number, dimension: number) {
    this.rows = rows;
    this.dimension = dimension;
    this.columns = new Float32Array(rows * dimension);
  }

  /** Memory it holds, for the cache's budget. */
  get bytes(): number {
    return this.columns.byteLength + this.rows * 120;
  }

  /** Fills the next row; `vector` may be a view on raw float32 bytes. */
  set(row: number, id: string, vector: Float32Array, payload: ChunkPayload): void {
    for (let d = 0; d < this.dimension; d++) this.columns[d * this.rows + row] = vector[d]!;
    this.ids[row] = id;
    this.payloads[row] = payload;
  }

  search(query: Float32Array, k: number, filter?: VectorFilter): VectorHit[] {
    const n = this.rows;
    const scores = new Float32Array(n);
    const columns = this.columns;
    for (let d = 0; d < this.dimension; d++) {
      const q = query[d]!;
      if (q === 0) continue;
      const base = d * n;
      for (let i = 0; i < n; i++) scores[i]! += q * columns[base + i]!;
    }
    const accept = this.acceptor(filter);
    return topK(scores, k, accept).map(({ row, score }) => ({
      id: this.ids[row]!,
      score,
      payload: this.payloads[row]!,
    }));
  }

  private acceptor(filter: VectorFilter | undefined): ((row: number) => boolean) | undefined {
    const sources = filter?.sources && filter.sources.length > 0 ? new Set(filter.sources) : undefined;
    const tags = filter?.tags && filter.tags.length > 0 ? filter.tags : undefined;
    if (!sources && !tags) return undefined;
    return (row) => {
      const payload = this.payloads[row]!;
      if (sources && !sources.has(payload.source)) return false;
      if (tags) for (const tag of tags) if (!payload.tags.includes(tag)) return false;
      return true;
    };
  }
}
