import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { codeAt, eachMatch, isAsciiLetter, isDigit, isWordChar } from './text-scan';

/** IBAN length per country (ISO 13616 registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

const CANDIDATE = /\b[A-Za-z]{2}\d{2}[ ]?[A-Za-z0-9]/g;

/** ISO 7064 mod 97-10 over the rearranged IBAN, computed digit by digit (no BigInt). */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (isDigit(code)) remainder = (remainder * 10 + (code - 48)) % 97;
    else remainder = (remainder * 100 + (code - 55)) % 97; // A=10 … Z=35
  }
  return remainder === 1;
}

export const ibanDetector: PiiDetector = {
  type: 'bank_account',
  priority: 90,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(CANDIDATE, text, (match) => {
      const start = match.index;
      const country = text.slice(start, start + 2).toUpperCase();
      const length = IBAN_LENGTHS[country];
      if (length === undefined) return;
      // take exactly `length` letters/digits, allowing one space or hyphen between groups
      let compact = '';
      let i = start;
      while (i < text.length && compact.length < length) {
        const code = text.charCodeAt(i);
        if (isDigit(code) || isAsciiLetter(code)) {
          compact += text[i];
          i++;
        } else if (
          (code === 32 || code === 45) &&
          compact.length >= 4 &&
          compact.length % 4 === 0 &&
          (isDigit(codeAt(text, i + 1)) || isAsciiLetter(codeAt(text, i + 1)))
        ) {
          i++;
        } else break;
      }
      if (compact.length !== length || isWordChar(codeAt(text, i))) return;
      if (ibanChecksumValid(compact.toUpperCase()))
        out.push({ type: 'bank_account', subtype: 'iban', start, end: i });
    });
  },
};
