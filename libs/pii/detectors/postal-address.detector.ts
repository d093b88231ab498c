import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { eachMatch } from './text-scan';

const CAP = "\\p{Lu}[\\p{Ll}'’.]*(?:-\\p{Lu}?[\\p{Ll}'’.]+)*";
const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Row|Mews|Gardens|Grove';
const UNIT = '(?:,?\\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl)\\.?\\s*#?[A-Za-z0-9-]{1,6})?';
/** Latin capitalised word without the `u` flag (much faster to scan for). */
const LATIN_CAP = "[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’.]*(?:-[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ'’.]+)*";
/** "221B Baker Street", "1600 Amphitheatre Parkway, Suite 4". */
const EN_STREET = new RegExp(
  `\\b\\d{1,5}[A-Za-z]?\\s+(?:${LATIN_CAP}\\s+){1,3}(?:${STREET_SUFFIX})\\b\\.?${UNIT}`,
  'g',
);
/** "Hauptstraße 12a", "Goetheallee 5": found from the suffix, the word start is searched backwards. */
const DE_SUFFIX = /(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee)\s+\d{1,4}[a-z]?\b/g;
const DE_STREET = /\p{Lu}\p{Ll}{2,}(?:-\p{Lu}?\p{Ll}+)*$/u;
/** "Calle Mayor 7", "Via Roma 10". */
const SOUTH_STREET = new RegExp(
  `(?:Calle|Avenida|Av\\.|Plaza|Paseo|Via|Viale|Piazza|Corso)\\s+(?:(?:de|del|la|di|della)\\s+)?${CAP}(?:\\s+${CAP})*,?\\s+\\d{1,4}\\b`,
  'uy',
);
/** "12 rue de la Paix", "5 bis, avenue Victor Hugo". */
const FR_STREET = new RegExp(
  `\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:rue|avenue|av\\.|boulevard|bd|place|allée|chemin|impasse|quai|cours)\\s+(?:(?:de la|de l'|du|des|de|d')\\s*)?${CAP}(?:\\s+(?:de\\s+|du\\s+)?${CAP})*`,
  'uy',
);
/** Cheap scans (no `u` flag) that find where a street can start; the patterns above then run there. */
const SOUTH_TRIGGER = /\b(?:Calle|Avenida|Av\.|Plaza|Paseo|Via|Viale|Piazza|Corso)\s/g;
const FR_TRIGGER =
  /\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|allée|chemin|impasse|quai|cours)\s/g;
/** UK ("SW1A 1AA") or Canadian ("K1A 0B1") postcode, in one pass. */
const UK_OR_CA_POSTCODE =
  /\b(?:((?:[A-Z]{1,2}\d[A-Z\d]?|GIR) \d[ABD-HJLNP-UW-Z]{2})|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d)\b/g;
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC';
/** "Springfield, IL 62704", "New York, NY 10001-1234". */
const US_ZIP = new RegExp(`,\\s*(?:${US_STATES})\\s+(\\d{5}(?:-\\d{4})?)\\b`, 'g');
/** A postcode after a keyword: "ZIP: 94105", "PLZ 10115", "code postal 75001", "postcode 1012 AB". */
const CODE_WORDS = String.raw`\b(?:zip|postal\s?code|post\s?code|postcode|plz|postleitzahl|code postal|c[oó]digo postal)`;
const KEYWORD_CODE =
  /(?:zip(?:\s?code)?|postal\s?code|post\s?code|postcode|plz|postleitzahl|code postal|c[oó]digo postal)\s*[:#]?\s*((?:\d{5}(?:-\d{4})?|\d{4}(?:\s?[A-Z]{2})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}))\b/iy;
/** "10115 Berlin", "75001 Paris" right after a street: postcode then a capitalised place. */
const CITY_CODE = /\s*,?\s*(\d{4,5})\s+\p{Lu}\p{Ll}+/uy;

function push(out: PiiFinding[], subtype: string, start: number, end: number): void {
  out.push({ type: 'postal_address', subtype, start, end });
}

export const postalAddressDetector: PiiDetector = {
  type: 'postal_address',
  priority: 40,
  needsDigit: true,
  detect(text: string, out: PiiFinding[]): void {
    const street = (start: number, end: number): void => {
      while (text[end - 1] === ',' || text[end - 1] === ' ') end--;
      push(out, 'street_address', start, end);
      CITY_CODE.lastIndex = end;
      const city = CITY_CODE.exec(text);
      if (city) {
        const codeStart = city.index + city[0].indexOf(city[1]!);
        push(out, 'postcode', codeStart, codeStart + city[1]!.length);
      }
    };
    const at = (pattern: RegExp, index: number): void => {
      pattern.lastIndex = index;
      const m = pattern.exec(text);
      if (m) street(index, index + m[0].length);
    };
    eachMatch(EN_STREET, text, (m) => {
      // "Copyright (c) 2013 Gary Court" is a year and a name
      if (/(?:\(c\)|©|copyright)\s*$/i.test(text.slice(Math.max(0, m.index - 16), m.index))) return;
      street(m.index, m.index + m[0].length);
    });
    eachMatch(SOUTH_TRIGGER, text, (m) => at(SOUTH_STREET, m.index));
    eachMatch(FR_TRIGGER, text, (m) => at(FR_STREET, m.index));
    eachMatch(DE_SUFFIX, text, (m) => {
      const word = DE_STREET.exec(text.slice(Math.max(0, m.index - 40), m.index));
      if (word) street(m.index - word[0].length, m.index + m[0].length);
    });
    eachMatch(UK_OR_CA_POSTCODE, text, (m) =>
      push(out, m[1] === undefined ? 'ca_postcode' : 'uk_postcode', m.index, m.index + m[0].length),
    );
    eachMatch(US_ZIP, text, (m) => {
      const end = m.index + m[0].length;
      push(out, 'us_zip', end - m[1]!.length, end);
    });
  },
  keywords: CODE_WORDS,
  onKeyword(text: string, at: number, out: PiiFinding[]): void {
    KEYWORD_CODE.lastIndex = at;
    const m = KEYWORD_CODE.exec(text);
    if (!m) return;
    const end = at + m[0].length;
    push(out, 'postcode', end - m[1]!.length, end);
  },
};
