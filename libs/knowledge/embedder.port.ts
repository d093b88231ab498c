/** Turns texts into vectors. Vectors are L2-normalised, so a dot product is the cosine similarity. */
export interface Embedder {
  /**
   * Names the model, its version and dimension (`hashing-v1@512`, `text-embedding-3-small@1536`):
   * vectors of different ids are never compared, and a pack's `knowledge[].embedder` records it.
   */
  readonly id: string;
  /** Known up front for the hashing embedder; learned from the first answer for a remote model. */
  readonly dimension: number | undefined;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** Nest injection token of the process' embedder. */
export const EMBEDDER = Symbol('personae:knowledge:embedder');

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  }
  return vector;
}
