import { combine, contentWords, fnv1a, mix } from '../domain/feature-hashing';
import { normalizeInPlace, type Embedder } from '../embedder.port';

export interface HashingEmbedderOptions {
  /** Vector length; default 512. */
  dimension?: number;
}

const UNIGRAM_SALT = 0x2545f491;
const BIGRAM_SALT = 0x6c8e9cf5;
const TRIGRAM_SALT = 0x1b873593;
/** Weights per feature kind: a shared word counts most, a shared phrase adds, shared spelling helps a little. */
const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 0.15;
/** Char trigrams only for words long enough to have useful inner parts (`mitochondria`/`mitochondrial`). */
const TRIGRAM_MIN_WORD = 5;

/**
 * The default embedder: deterministic, lexical, nothing to download. Word unigrams and bigrams (stop
 * words out, crude stemming) plus char trigrams of longer words are hashed into a fixed number of
 * signed buckets; each feature weighs `1 + ln(tf)` (sublinear), and the vector is L2-normalised.
 * Version 1: any change to tokens, features, weights or hashing must bump it (the id pins vectors).
 */
export class HashingEmbedder implements Embedder {
  static readonly VERSION = 1;
  readonly id: string;
  readonly dimension: number;

  constructor(options: HashingEmbedderOptions = {}) {
    const dimension = options.dimension ?? 512;
    if (!Number.isInteger(dimension) || dimension < 16 || dimension > 65536)
      throw new Error('the hashing embedder dimension must be a whole number from 16 to 65536');
    this.dimension = dimension;
    this.id = `hashing-v${HashingEmbedder.VERSION}@${dimension}`;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedOne(text)));
  }

  /** Synchronous form for callers that batch on their own (the benchmark, the chunk pipeline). */
  embedOne(text: string): Float32Array {
    const unigrams = new Map<number, number>();
    const bigrams = new Map<number, number>();
    const trigrams = new Map<number, number>();
    let previous: number | undefined;
    for (const word of contentWords(text)) {
      const hash = fnv1a(word);
      count(unigrams, mix(hash ^ UNIGRAM_SALT));
      if (previous !== undefined) count(bigrams, combine(previous, hash, BIGRAM_SALT));
      previous = hash;
      if (word.length >= TRIGRAM_MIN_WORD) {
        const padded = ` ${word} `;
        for (let i = 0; i + 3 <= padded.length; i++)
          count(trigrams, mix(fnv1a(padded, i, i + 3) ^ TRIGRAM_SALT));
      }
    }
    const vector = new Float32Array(this.dimension);
    this.add(vector, unigrams, UNIGRAM_WEIGHT);
    this.add(vector, bigrams, BIGRAM_WEIGHT);
    this.add(vector, trigrams, TRIGRAM_WEIGHT);
    return normalizeInPlace(vector);
  }

  private add(vector: Float32Array, features: Map<number, number>, weight: number): void {
    for (const [key, tf] of features) {
      // The top bit signs the feature so collisions cancel on average instead of piling up.
      const sign = key & 0x80000000 ? -1 : 1;
      vector[key % this.dimension]! += sign * weight * (1 + Math.log(tf));
    }
  }
}

function count(features: Map<number, number>, key: number): void {
  features.set(key, (features.get(key) ?? 0) + 1);
}
