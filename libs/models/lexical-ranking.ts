/**
 * The offline responder's retrieval: sentences ranked against a question with BM25 (k1 1.2, b 0.75)
 * over sentences as documents, on lowercase word tokens without English stop words and with a
 * light plural/suffix folding. Pure and deterministic.
 */
export interface RankedSentence {
  text: string;
  passageIndex: number;
  sentenceIndex: number;
  score: number;
  /** Distinct question terms the sentence contains. */
  matched: number;
}

export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (STOP_WORDS.has(word)) continue;
    out.push(fold(word));
  }
  return out;
}

export function rankSentences(
  question: string,
  passages: readonly string[],
): { ranked: RankedSentence[]; queryTerms: number } {
  const query = [...new Set(terms(question))];
  const docs: { text: string; passageIndex: number; sentenceIndex: number; terms: string[] }[] = [];
  passages.forEach((passage, passageIndex) =>
    splitSentences(passage).forEach((text, sentenceIndex) =>
      docs.push({ text, passageIndex, sentenceIndex, terms: terms(text) }),
    ),
  );
  if (query.length === 0 || docs.length === 0) return { ranked: [], queryTerms: query.length };
  const averageLength = docs.reduce((sum, d) => sum + d.terms.length, 0) / docs.length || 1;
  const documentFrequency = new Map<string, number>();
  for (const doc of docs)
    for (const term of new Set(doc.terms))
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const ranked: RankedSentence[] = [];
  for (const doc of docs) {
    let score = 0;
    let matched = 0;
    for (const term of query) {
      const tf = doc.terms.filter((t) => t === term).length;
      if (tf === 0) continue;
      matched++;
      const df = documentFrequency.get(term) ?? 0;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.terms.length) / averageLength));
    }
    if (matched > 0)
      ranked.push({
        text: doc.text,
        passageIndex: doc.passageIndex,
        sentenceIndex: doc.sentenceIndex,
        score,
        matched,
      });
  }
  // Ties keep the knowledge's own order, so the answer never depends on anything but the input.
  ranked.sort(
    (a, b) => b.score - a.score || a.passageIndex - b.passageIndex || a.sentenceIndex - b.sentenceIndex,
  );
  return { ranked, queryTerms: query.length };
}

const K1 = 1.2;
const B = 0.75;

/** Folds common English inflections so "cells"/"cell" and "producing"/"produce" meet. */
function fold(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3).replace(/e?$/, '');
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2).replace(/e?$/, '');
  if (word.endsWith('es') && /(sh|ch|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return word.slice(0, -1).replace(/e$/, '');
  return word.replace(/e$/, '');
}

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her hers him his how i if in into is it its ' +
    'me my no not of on or our ours she so than that the their them then there these they this those to too us was we were what ' +
    'when where which who whom why will with would you your yours about tell please know explain describe'
  ).split(' '),
);
