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
  private scratch: Float32Array | undefined;

  constructor(rows: number, dimension: number) {
    this.rows = rows;
    this.dimension = dimension;
    this.columns = new Float32Array(rows * dimension);
  }

  /** Memory it holds, for the cache's budget. */
  get bytes(): number {
    // The matrix, the scores scratch (4 B a row) and ids and payloads (~120 B a row).
    return this.columns.byteLength + this.rows * 124;
  }

  /** Fills the next row; `vector` may be a view on raw float32 bytes. */
  set(row: number, id: string, vector: Float32Array, payload: ChunkPayload): void {
    for (let d = 0; d < this.dimension; d++) this.columns[d * this.rows + row] = vector[d]!;
    this.ids[row] = id;
    this.payloads[row] = payload;
  }

  /**
   * Fills `vectors.length` rows from `first` on. Written dimension by dimension over the block, so the
   * column writes are sequential and the block's rows stay in cache (row by row, each of the 512 writes
   * would land on a different cache line).
   */
  setRows(
    first: number,
    vectors: readonly Float32Array[],
    ids: readonly string[],
    payloads: readonly ChunkPayload[],
  ): void {
    const n = this.rows;
    const count = vectors.length;
    const columns = this.columns;
    for (let d = 0; d < this.dimension; d++) {
      const base = d * n + first;
      for (let j = 0; j < count; j++) columns[base + j] = vectors[j]![d]!;
    }
    for (let j = 0; j < count; j++) {
      this.ids[first + j] = ids[j]!;
      this.payloads[first + j] = payloads[j]!;
    }
  }

  search(query: Float32Array, k: number, filter?: VectorFilter): VectorHit[] {
    // One scratch array per matrix: search is synchronous, so no two searches share it at once.
    this.scratch ??= new Float32Array(this.rows);
    const scores = this.scratch;
    this.score(query, scores);
    const accept = this.acceptor(filter);
    return topK(scores, k, accept).map(({ row, score }) => ({
      id: this.ids[row]!,
      score,
      payload: this.payloads[row]!,
    }));
  }

  /**
   * scores = M·query over the query's non-zero dimensions, four columns per pass: each pass reads and
   * writes the scores once for four columns, a quarter of the memory traffic of one column at a time.
   */
  private score(query: Float32Array, scores: Float32Array): void {
    const n = this.rows;
    const columns = this.columns;
    const dims: number[] = [];
    for (let d = 0; d < this.dimension; d++) if (query[d] !== 0) dims.push(d);
    scores.fill(0);
    let g = 0;
    for (; g + 4 <= dims.length; g += 4) {
      const a = dims[g]! * n;
      const b = dims[g + 1]! * n;
      const c = dims[g + 2]! * n;
      const d = dims[g + 3]! * n;
      const qa = query[dims[g]!]!;
      const qb = query[dims[g + 1]!]!;
      const qc = query[dims[g + 2]!]!;
      const qd = query[dims[g + 3]!]!;
      for (let i = 0; i < n; i++)
        scores[i]! +=
          qa * columns[a + i]! + qb * columns[b + i]! + qc * columns[c + i]! + qd * columns[d + i]!;
    }
    for (; g < dims.length; g++) {
      const base = dims[g]! * n;
      const q = query[dims[g]!]!;
      for (let i = 0; i < n; i++) scores[i]! += q * columns[base + i]!;
    }
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
