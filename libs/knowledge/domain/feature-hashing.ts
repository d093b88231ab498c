/**
 * Feature hashing for the lexical embedder: words become 32-bit FNV-1a hashes, features are
 * combinations of those hashes, so no feature string is ever built. Pure and deterministic.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units of `text[start, end)`. */
export function fnv1a(text: string, start = 0, end = text.length, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads the bits of a combined hash so buckets and signs are independent. */
export function mix(hash: number): number {
  let h = hash >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Order-sensitive combination of two hashes (a bigram "a b" differs from "b a"). */
export function combine(first: number, second: number, salt: number): number {
  return mix(Math.imul(first ^ salt, 0x9e3779b1) ^ second);
}

/**
 * Common English function words: they carry little meaning and, unweighted by IDF, would dominate
 * every vector. They are skipped as unigrams and do not form bigrams.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in ' +
    'into is it its me my no not of on or our she so such than that the their them then there these they ' +
    'this those to too us was we were what when where which while who whom why will with would you your'
  ).split(' '),
);

/**
 * Folds a lowercase word to a crude stem so that plurals and common inflections meet:
 * `cells`→`cell`, `studies`→`study`, `running`→`runn`, `measured`→`measur`.
 */
export function foldWord(word: string): string {
  const n = word.length;
  if (n > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (n > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (n > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (n > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lowercase, folded content words of a text, in order. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (STOP_WORDS.has(word)) continue;
    out.push(foldWord(word));
  }
  return out;
}
