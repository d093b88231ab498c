import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { FIRST_NAMES, NOT_NAMES } from './person-names.data';
import { eachMatch } from './text-scan';

/** A capitalised name word: "Smith", "O'Brien", "McDonald", "Jean-Luc", "Müller". */
const WORD =
  "\\p{Lu}(?:\\p{Ll}+(?:\\p{Lu}\\p{Ll}+)?|['’]\\p{Lu}\\p{Ll}+)(?:-\\p{Lu}?\\p{Ll}+)*(?![\\p{L}\\d])";
/** Lower-case particles inside names: "Ludwig van Beethoven", "Ana de la Cruz". */
const PARTICLE = '(?:van|von|der|den|de|del|della|di|da|du|la|le|ter|ten|bin|al)';
const NAME = `${WORD}(?:[ \\t]+(?:${PARTICLE}[ \\t]+){0,2}${WORD}){0,3}`;

/** Titles: the words after them are a name (the name itself is matched by NAME_AT). */
const HONORIFIC =
  /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Señor|Señora|Signor|Signora)\.?\s+/g;
/** The name starting exactly at lastIndex. */
const NAME_AT = new RegExp(NAME, 'uy');
/** Phrases that introduce a name; the name must start right after. */
const INTRO_PHRASES = [
  'my name is',
  "my name's",
  'name is',
  'i am',
  "i'm",
  'this is',
  'called',
  'named',
  'name',
  'full name',
  'patient',
  'customer',
  'client',
  'employee',
  'applicant',
  'cardholder',
  'card holder',
  'account holder',
  'signed',
  'sincerely',
  'regards',
  'best',
  'cheers',
  'thanks',
  'dear',
  'hi',
  'hello',
  'contact',
  'ask for',
  'assigned to',
  'contact person',
  'contact name',
  'attn',
  'attention',
  'spoke with',
  'spoke to',
  'talked to',
  'met with',
  'loop in',
  'forward to',
  'forwarded to',
  'ich heiße',
  'ich bin',
  'mein name ist',
  "je m'appelle",
  'je suis',
  'me llamo',
  'soy',
  'mi chiamo',
];
/** Phrases are matched without the `u` flag (much faster), the name after them with it. */
const INTRO_WORDS = [...INTRO_PHRASES].sort((a, b) => b.length - a.length).join('|');
const INTRO = new RegExp(`(?:${INTRO_WORDS})[:,]?(?:[ \\t]+|[ \\t]*\\r?\\n[ \\t]*)`, 'iy');
/**
 * A known first name followed by a capitalised word. One alternation of all the names is far
 * cheaper than testing every capitalised word against the set.
 */
const KNOWN_FIRST = new RegExp(
  `(?<![A-Za-zÀ-ÖØ-öø-ÿ\\u0100-\\u017f])(?:${[...FIRST_NAMES].sort((a, b) => b.length - a.length).join('|')})\\s+(?=[A-ZÀ-ÖØ-Þ\\u0100-\\u017f])`,
  'g',
);
/** "Jane Roe <jane@example.com>": the display name of an address, found from the `<`. */
const ADDRESS_OPEN = /<[^<>\s@]+@/g;
const NAME_BEFORE = new RegExp(`(${WORD}(?:\\s+(?:${PARTICLE}\\s+){0,2}${WORD}){1,2})"?\\s*$`, 'u');

function nameAt(text: string, index: number): string | undefined {
  NAME_AT.lastIndex = index;
  return NAME_AT.exec(text)?.[0];
}

/** Intro phrases weak enough ("i am", "to", "from") that one word is not enough: "I am Happy". */
const ROLE_INTRO =
  /^(?:patient|customer|client|employee|applicant|cardholder|card holder|account holder|contact|name|assigned to|named|called)$/i;
const WEAK_INTRO =
  /^(?:spoke with|spoke to|talked to|met with|loop in|forward to|forwarded to|i am|i'm|this is|called|named|contact|best|cheers|thanks|hi|hello|ich bin|je suis|soy|customer|client)$/i;

function trimNotNames(words: string[]): string[] {
  const kept: string[] = [];
  for (const word of words) {
    if (NOT_NAMES.has(word.toLowerCase())) break;
    kept.push(word);
  }
  while (
    kept.length > 0 &&
    /^(?:van|von|der|den|de|del|della|di|da|du|la|le|ter|ten|bin|al)$/.test(kept[kept.length - 1]!)
  )
    kept.pop();
  return kept;
}

/** Pushes the name that starts at `start` (the words of `name` up to the first non-name word). */
function pushName(out: PiiFinding[], subtype: string, start: number, name: string, minWords: number): void {
  const words = name.split(/\s+/);
  const kept = trimNotNames(words);
  const capitalised = kept.filter((w) => /^\p{Lu}/u.test(w)).length;
  // after a weak cue ("Thanks, Priya") one word is enough when it is a known first name
  const knownAlone = kept.length === 1 && FIRST_NAMES.has(kept[0]!);
  if (capitalised < minWords && !knownAlone) return;
  let end = start;
  for (const word of kept) end = name.indexOf(word, end - start) + start + word.length;
  out.push({ type: 'person_name', subtype, start, end });
}

export const personNameDetector: PiiDetector = {
  type: 'person_name',
  priority: 30,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(HONORIFIC, text, (m) => {
      const start = m.index + m[0].length;
      const name = nameAt(text, start);
      if (name) pushName(out, 'honorific', start, name, 1);
    });
    eachMatch(KNOWN_FIRST, text, (m) => {
      const name = nameAt(text, m.index);
      if (name) pushName(out, 'known_first_name', m.index, name, 2);
    });
    eachMatch(ADDRESS_OPEN, text, (m) => {
      const before = NAME_BEFORE.exec(text.slice(Math.max(0, m.index - 80), m.index));
      if (before) pushName(out, 'display_name', m.index - before[0].length, before[1]!, 2);
    });
  },
  keywords: String.raw`\b(?:${INTRO_WORDS})`,
  onKeyword(text: string, at: number, out: PiiFinding[]): void {
    INTRO.lastIndex = at;
    const m = INTRO.exec(text);
    if (!m) return;
    const start = at + m[0].length;
    const name = nameAt(text, start);
    if (!name) return;
    const intro = m[0].replace(/[:,]?\s+$/, '');
    // the phrase is case-insensitive, the name is not: "i am Fine" is not a name
    // "Client Libraries", "customer Support": a role word is a cue only with a colon or a known first name
    if (ROLE_INTRO.test(intro) && !m[0].includes(':') && !FIRST_NAMES.has(name.split(/[ \t]/)[0]!)) return;
    pushName(out, 'context', start, name, WEAK_INTRO.test(intro) ? 2 : 1);
  },
};
