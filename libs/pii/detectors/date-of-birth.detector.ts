import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { eachMatch } from './text-scan';

/**
 * A date is personal data when the text says it is a birth date; elsewhere (timestamps, due
 * dates, release dates) it is not, so dates are only taken right after a birth keyword.
 */
const KEYWORD =
  /\b(?:date of birth|birth ?date|birthday|d\.?o\.?b\.?|born(?: on| in)?|geburtsdatum|geboren(?: am)?|geb\.|n[ée]e? le|date de naissance|fecha de nacimiento|nacid[oa] el|data di nascita|nato il|nata il)(?=[\s:,(-])[\s:,(-]*(?:is\s+|was\s+|on\s+|am\s+|le\s+|el\s+|il\s+)?/gi;
const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre';
const DATE = new RegExp(
  [
    '\\d{4}-\\d{1,2}-\\d{1,2}',
    '\\d{1,2}[./-]\\d{1,2}[./-](?:\\d{4}|\\d{2})',
    `\\d{1,2}(?:st|nd|rd|th)?\\.?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?\\s+\\d{4}`,
    `(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}`,
    `\\d{1,2}\\s+de\\s+(?:${MONTHS})\\s+de\\s+\\d{4}`,
  ].join('|'),
  'iy',
);

function plausible(date: string): boolean {
  const year = /\d{4}/.exec(date)?.[0];
  if (year !== undefined) {
    const y = Number(year);
    if (y < 1900 || y > 2030) return false;
  }
  return true;
}

export const dateOfBirthDetector: PiiDetector = {
  type: 'date_of_birth',
  priority: 60,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(KEYWORD, text, (m) => {
      DATE.lastIndex = m.index + m[0].length;
      const date = DATE.exec(text);
      if (!date || !plausible(date[0])) return;
      out.push({
        type: 'date_of_birth',
        subtype: 'date_of_birth',
        start: date.index,
        end: date.index + date[0].length,
      });
      KEYWORD.lastIndex = date.index + date[0].length;
    });
  },
};
