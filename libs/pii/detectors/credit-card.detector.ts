import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { luhnValid } from './luhn';
import { codeAt, eachMatch, isDigit, isWordChar } from './text-scan';

/** 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4, or 13–19 digits in one run; one separator kind. */
const CANDIDATE = /\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -]?)\d{6}\2\d{4,5}|\d{13,19}/g;

/** The card network from the issuer prefix and length; undefined when no network issues such a number. */
export function cardNetwork(digits: string): string | undefined {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if (
    (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) &&
    n >= 16 &&
    n <= 19
  )
    return 'discover';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if (((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) && n >= 14 && n <= 19)
    return 'diners';
  if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19) return 'maestro';
  return undefined;
}

export const creditCardDetector: PiiDetector = {
  type: 'credit_card',
  priority: 85,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(CANDIDATE, text, (match) => {
      const start = match.index;
      const end = start + match[0].length;
      const before = codeAt(text, start - 1);
      const after = codeAt(text, end);
      if (isWordChar(before) || before === 45 || before === 46 || before === 43) return;
      if (isWordChar(after) || ((after === 45 || after === 46) && isDigit(codeAt(text, end + 1)))) return;
      const digits = match[0].replace(/[ -]/g, '');
      if (/^(\d)\1+$/.test(digits) || !luhnValid(digits)) return;
      const network = cardNetwork(digits);
      if (network) out.push({ type: 'credit_card', subtype: network, start, end });
    });
  },
};
