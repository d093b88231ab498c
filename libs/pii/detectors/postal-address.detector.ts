import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { eachMatch } from './text-scan';

const CAP = "\\p{Lu}[\\p{Ll}'’.-]*";
const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Row|Mews|Gardens|Grove';
const UNIT = '(?:,?\\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl)\\.?\\s*#?[A-Za-z0-9-]{1,6})?';
/** "221B Baker Street", "1600 Amphitheatre Parkway, Suite 4". */
const EN_STREET = new RegExp(
  `\\b\\d{1,5}[A-Za-z]?\\s+(?:${CAP}\\s+){1,3}(?:${STREET_SUFFIX})\\b\\.?${UNIT}`,
  'gu',
);
/** "Hauptstraße 12a", "Am Musterweg 5", "Calle Mayor 7", "Via Roma 10". */
const DE_STREET = new RegExp(
  `(?:\\b(?:Am|An der|Im|In der|Auf der)\\s+)?\\b\\p{Lu}[\\p{Ll}-]*(?:straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee)\\s+\\d{1,4}[a-z]?\\b|\\b(?:Calle|Avenida|Av\\.|Plaza|Paseo|Via|Viale|Piazza|Corso)\\s+(?:(?:de|del|la|di|della)\\s+)?${CAP}(?:\\s+${CAP})*,?\\s+\\d{1,4}\\b`,
  'gu',
);
/** "12 rue de la Paix", "5 bis, avenue Victor Hugo". */
const FR_STREET = new RegExp(
  `\\b\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:rue|avenue|av\\.|boulevard|bd|place|allée|chemin|impasse|quai|cours)\\s+(?:(?:de la|de l'|du|des|de|d')\\s*)?${CAP}(?:\\s+(?:de\\s+|du\\s+)?${CAP})*`,
  'gu',
);
const UK_POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) \d[ABD-HJLNP-UW-Z]{2}\b/g;
const CA_POSTCODE = /\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d\b/g;
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC';
/** "Springfield, IL 62704", "New York, NY 10001-1234". */
const US_ZIP = new RegExp(`,\\s*(?:${US_STATES})\\s+(\\d{5}(?:-\\d{4})?)\\b`, 'g');
/** A postcode after a keyword: "ZIP: 94105", "PLZ 10115", "code postal 75001", "postcode 1012 AB". */
const KEYWORD_CODE =
  /\b(?:zip(?:\s?code)?|postal\s?code|post\s?code|postcode|plz|postleitzahl|code postal|c[oó]digo postal)\s*[:#]?\s*((?:\d{5}(?:-\d{4})?|\d{4}(?:\s?[A-Z]{2})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}))\b/gi;
/** "10115 Berlin", "75001 Paris" right after a street: postcode then a capitalised place. */
const CITY_CODE = /\s*,?\s*(\d{4,5})\s+\p{Lu}\p{Ll}+/uy;

function push(out: PiiFinding[], subtype: string, start: number, end: number): void {
  out.push({ type: 'postal_address', subtype, start, end });
}

export const postalAddressDetector: PiiDetector = {
  type: 'postal_address',
  priority: 40,
  detect(text: string, out: PiiFinding[]): void {
    const streets = (pattern: RegExp): void =>
      eachMatch(pattern, text, (m) => {
        let end = m.index + m[0].length;
        while (text[end - 1] === ',' || text[end - 1] === ' ') end--;
        push(out, 'street_address', m.index, end);
        CITY_CODE.lastIndex = end;
        const city = CITY_CODE.exec(text);
        if (city) {
          const codeStart = city.index + city[0].indexOf(city[1]!);
          push(out, 'postcode', codeStart, codeStart + city[1]!.length);
        }
      });
    streets(EN_STREET);
    streets(DE_STREET);
    streets(FR_STREET);
    eachMatch(UK_POSTCODE, text, (m) => push(out, 'uk_postcode', m.index, m.index + m[0].length));
    eachMatch(CA_POSTCODE, text, (m) => push(out, 'ca_postcode', m.index, m.index + m[0].length));
    eachMatch(US_ZIP, text, (m) => {
      const end = m.index + m[0].length;
      push(out, 'us_zip', end - m[1]!.length, end);
    });
    eachMatch(KEYWORD_CODE, text, (m) => {
      const end = m.index + m[0].length;
      push(out, 'postcode', end - m[1]!.length, end);
    });
  },
};
