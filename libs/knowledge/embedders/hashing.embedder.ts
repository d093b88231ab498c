import { FeatureCounter } from '../domain/feature-counter';
import {
  combine,
  fnv1aCodes,
  foldCodes,
  isWordCode,
  lowerCode,
  mix,
  STOP_WORD_HASHES,
} from '../domain/feature-hashing';
import { normalizeInPlace, type Embedder } from '../embedder.port';

export interface HashingEmbedderOptions {
  /** Vector length; default 512. */
  dimension?: number;
}

const UNIGRAM = 0;
const BIGRAM = 1;
const TRIGRAM = 2;
const SALTS = [0x2545f491, 0x6c8e9cf5, 0x1b873593];
/** Weights per feature kind: a shared word counts most, a shared phrase adds, shared spelling helps a little. */
const WEIGHTS = [1, 0.6, 0.15];
/** Char trigrams only for words long enough to have useful inner parts (`mitochondria`/`mitochondrial`). */
const TRIGRAM_MIN_WORD = 5;
/** Longer "words" (hashes, base64) are cut: they are identifiers, not vocabulary. */
const MAX_WORD = 64;
const SPACE = 32;

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
  private readonly counter = new FeatureCounter();
  private readonly word = new Uint16Array(MAX_WORD + 2);

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
    const counter = this.counter;
    counter.reset();
    const word = this.word;
    let previous = -1;
    let length = 0;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
      const code = i < n ? text.charCodeAt(i) : SPACE;
      if (isWordCode(code)) {
        // Index 0 is kept for the trigram padding.
        if (length < MAX_WORD) word[1 + length] = lowerCode(code);
        length++;
        continue;
      }
      if (length === 0) continue;
      previous = this.addWord(Math.min(length, MAX_WORD), previous);
      length = 0;
    }
    const vector = new Float32Array(this.dimension);
    const dimension = this.dimension;
    counter.forEach((key, kind, tf) => {
      // The top bit signs the feature so collisions cancel on average instead of piling up.
      const sign = key & 0x80000000 ? -1 : 1;
      vector[key % dimension]! += sign * WEIGHTS[kind]! * (1 + Math.log(tf));
    });
    return normalizeInPlace(vector);
  }

  /** Counts one word's features (it sits in `word[1..length]`); returns its hash, or `previous` for a stop word. */
  private addWord(rawLength: number, previous: number): number {
    const word = this.word;
    const body = word.subarray(1);
    if (STOP_WORD_HASHES.has(fnv1aCodes(body, rawLength))) return previous;
    const length = foldCodes(body, rawLength);
    const hash = fnv1aCodes(body, length);
    this.counter.add(mix(hash ^ SALTS[UNIGRAM]!), UNIGRAM);
    if (previous >= 0) this.counter.add(combine(previous, hash, SALTS[BIGRAM]!), BIGRAM);
    if (length >= TRIGRAM_MIN_WORD) {
      // Padded with spaces: ` word ` has `length` trigrams, the first and last marking the word's ends.
      word[0] = SPACE;
      word[length + 1] = SPACE;
      for (let i = 0; i < length; i++) {
        let h = 0x811c9dc5;
        h = Math.imul(h ^ word[i]!, 0x01000193);
        h = Math.imul(h ^ word[i + 1]!, 0x01000193);
        h = Math.imul(h ^ word[i + 2]!, 0x01000193);
        this.counter.add(mix(h ^ SALTS[TRIGRAM]!), TRIGRAM);
      }
    }
    return hash;
  }
}
