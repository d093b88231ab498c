import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { FIRST_NAMES, NOT_NAMES } from './person-names.data';
import { eachMatch } from './text-scan';

/** A capitalised name word: "Smith", "O'Brien", "McDonald", "Jean-Luc", "Müller". */
const WORD = "\\p{Lu}[\\p{Ll}]*(?:['’-]\\p{Lu}?[\\p{Ll}]+)*";
/** Lower-case particles inside names: "Ludwig van Beethoven", "Ana de la Cruz". */
const PARTICLE = '(?:van|von|der|den|de|del|della|di|da|du|la|le|ter|ten|bin|al)';
const NAME = `${WORD}(?:\\s+(?:${PARTICLE}\\s+){0,2}${WORD}){0,3}`;

/** Titles: the words after them are a name. */
const HONORIFIC = new RegExp(
  `\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Señor|Señora|Signor|Signora)\\.?\\s+(${NAME})`,
  'gu',
);
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
  'ich heiße',
  'ich bin',
  'mein name ist',
  "je m'appelle",
  'je suis',
  'me llamo',
  'soy',
  'mi chiamo',
];
/** Case-insensitive phrase, case-sensitive name: `i` would make \p{Lu} match lower case too. */
function anyCase(phrase: string): string {
  return phrase.replace(/\p{L}/gu, (c) =>
    c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`,
  );
}
const INTRO = new RegExp(`(?:\\b(?:${INTRO_PHRASES.map(anyCase).join('|')})[:,]?\\s+)(${NAME})`, 'gu');
/** A first name we know, then a capitalised surname: "Maria Garcia". */
const FIRST_LAST = new RegExp(`\\b(\\p{Lu}\\p{Ll}+)\\s+(${WORD}(?:\\s+${WORD})?)`, 'gu');
/** "Jane Roe <jane@example.com>": the display name of an address. */
const DISPLAY_NAME = new RegExp(`(${WORD}(?:\\s+${WORD}){1,2})\\s+<[^<>\\s@]+@`, 'gu');

/** Intro phrases weak enough ("i am", "to", "from") that one word is not enough: "I am Happy". */
const WEAK_INTRO =
  /^(?:i am|i'm|this is|called|named|contact|best|cheers|thanks|hi|hello|ich bin|je suis|soy|customer|client)$/i;

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
  if (capitalised < minWords) return;
  let end = start;
  for (const word of kept) end = name.indexOf(word, end - start) + start + word.length;
  out.push({ type: 'person_name', subtype, start, end });
}

export const personNameDetector: PiiDetector = {
  type: 'person_name',
  priority: 30,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(HONORIFIC, text, (m) => {
      const name = m[1]!;
      pushName(out, 'honorific', m.index + m[0].length - name.length, name, 1);
    });
    eachMatch(INTRO, text, (m) => {
      const name = m[1]!;
      const intro = m[0].slice(0, m[0].length - name.length).replace(/[:,]?\s+$/, '');
      // the phrase is case-insensitive, the name is not: "i am Fine" is not a name
      pushName(out, 'context', m.index + m[0].length - name.length, name, WEAK_INTRO.test(intro) ? 2 : 1);
    });
    eachMatch(FIRST_LAST, text, (m) => {
      if (!FIRST_NAMES.has(m[1]!)) {
        FIRST_LAST.lastIndex = m.index + m[1]!.length;
        return;
      }
      pushName(out, 'known_first_name', m.index, m[0], 2);
    });
    eachMatch(DISPLAY_NAME, text, (m) => pushName(out, 'display_name', m.index, m[1]!, 2));
  },
};
