/** What the index keeps beside each vector: enough to filter on and to find the chunk again. */
export interface ChunkPayload {
  /** The document the chunk came from (a file name, `answer:<event id>`…). */
  source: string;
  tags: string[];
  /** Position of the chunk in its snapshot. */
  ordinal: number;
}

export interface VectorPoint {
  /** The chunk id. */
  id: string;
  /** L2-normalised. */
  vector: Float32Array;
  payload: ChunkPayload;
}

/** Conditions on the payload: `sources` any of, `tags` every one of. */
export interface VectorFilter {
  sources?: string[];
  tags?: string[];
}

export interface VectorHit {
  id: string;
  /** Cosine similarity (vectors are normalised): 1 for the same direction. */
  score: number;
  payload: ChunkPayload;
}

/** Vectors are always addressed within one tenant's snapshot. */
export interface SnapshotScope {
  tenantId: string;
  snapshotId: string;
}

/**
 * Where vectors live and are searched. Two adapters pass one contract suite
 * (test/knowledge/vector-index.contract.ts): EmbeddedVectorIndex and QdrantVectorIndex.
 */
export interface VectorIndex {
  readonly kind: 'embedded' | 'qdrant';
  /** Adds or replaces points (by id) of a snapshot; every vector of a snapshot has one dimension. */
  upsert(scope: SnapshotScope, points: readonly VectorPoint[]): Promise<void>;
  /** The `k` nearest points of the snapshot that pass the filter, best first. */
  search(scope: SnapshotScope, vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]>;
  /** Removes every point of the snapshot. */
  deleteSnapshot(scope: SnapshotScope): Promise<void>;
}

export const VECTOR_INDEX = Symbol('personae:knowledge:vector-index');

/** Thrown when a snapshot's vectors and the query (or new points) differ in dimension. */
export class VectorDimensionError extends Error {
  constructor(expected: number, got: number) {
    super(`the snapshot holds vectors of dimension ${expected}, got ${got}`);
    this.name = 'VectorDimensionError';
  }
}

export function matchesFilter(payload: ChunkPayload, filter: VectorFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.sources && filter.sources.length > 0 && !filter.sources.includes(payload.source)) return false;
  if (filter.tags) for (const tag of filter.tags) if (!payload.tags.includes(tag)) return false;
  return true;
}
