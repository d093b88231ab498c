/**
 * A deterministic lexical embedder (feature hashing of lowercased words and word pairs into 256
 * dimensions, L2-normalized): no model, no network, same text → same vector. The knowledge service's
 * embedders replace it when the pipeline hands snapshots to that service.
 */
export const EMBEDDER_ID = 'synthesis-hashing-256-v1';
const DIMENSIONS = 256;

export function embed(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    add(vector, words[i]!);
    if (i > 0) add(vector, `${words[i - 1]} ${words[i]}`, 0.5);
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  return norm === 0 ? vector : vector.map((v) => Math.round((v / norm) * 1e6) / 1e6);
}

function add(vector: number[], feature: string, weight = 1): void {
  const hash = fnv1a(feature);
  const index = hash % DIMENSIONS;
  vector[index]! += (hash & 0x80000000) === 0 ? weight : -weight;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
