/**
 * The lexical embedder's tokenizer and hashes. Words are read char by char (letters and digits of any
 * script, lowercased), hashed with FNV-1a as they are read; features are combinations of hashes, so the
 * hot loop builds no strings. Pure and deterministic.
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

/** FNV-1a over `codes[0, length)`. */
export function fnv1aCodes(codes: Uint16Array, length: number): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < length; i++) {
    hash ^= codes[i]!;
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

/** Stop words by FNV-1a hash, so a word is checked without building its string. */
export const STOP_WORD_HASHES: ReadonlySet<number> = new Set([...STOP_WORDS].map((w) => fnv1a(w)));

/** Per BMP code unit: 0 not yet known, 1 part of a word, 2 not. Filled lazily. */
const WORD_CLASS = new Uint8Array(65536);
/** Per BMP code unit: its lowercase (first code unit of it), 0 not yet known. */
const LOWER = new Uint16Array(65536);
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** Letters and digits of any script (astral characters, e.g. emoji, separate words). */
export function isWordCode(code: number): boolean {
  if (code < 128)
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  let known = WORD_CLASS[code]!;
  if (known === 0) {
    known = code >= 0xd800 && code <= 0xdfff ? 2 : LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
    WORD_CLASS[code] = known;
  }
  return known === 1;
}

export function lowerCode(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  let lower = LOWER[code]!;
  if (lower === 0) {
    lower = String.fromCharCode(code).toLowerCase().charCodeAt(0);
    LOWER[code] = lower;
  }
  return lower;
}

const c = (s: string): number => s.charCodeAt(0);
const [I, E, S, N, G, D, U, Y] = ['i', 'e', 's', 'n', 'g', 'd', 'u', 'y'].map(c) as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * Folds a lowercase word (in `codes`, in place) to a crude stem so plurals and common inflections meet:
 * `cells`→`cell`, `studies`→`study`, `running`→`runn`, `measured`→`measur`. Returns the new length.
 */
export function foldCodes(codes: Uint16Array, length: number): number {
  const n = length;
  const at = (back: number): number => codes[n - back]!;
  if (n > 4 && at(3) === I && at(2) === E && at(1) === S) {
    codes[n - 3] = Y;
    return n - 2;
  }
  if (n > 5 && at(3) === I && at(2) === N && at(1) === G) return n - 3;
  if (n > 4 && at(2) === E && at(1) === D) return n - 2;
  if (n > 3 && at(1) === S && at(2) !== S && at(2) !== U) return n - 1;
  return n;
}

/** The same folding on a string (tests and callers that hold words). */
export function foldWord(word: string): string {
  const codes = Uint16Array.from(word, (ch) => ch.charCodeAt(0));
  return String.fromCharCode(...codes.subarray(0, foldCodes(codes, codes.length)));
}
