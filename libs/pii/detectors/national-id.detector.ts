import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { codeAt, eachMatch, hasContextBefore, isDigit, isWordChar } from './text-scan';

const SSN = /\b(\d{3})([- ]?)(\d{2})\2(\d{4})\b/g;
const SSN_CONTEXT = /\b(?:ssn|ss#|social security|soc\.? sec\.?|tin|taxpayer)/i;
/** UK National Insurance number: two prefix letters (not D, F, I, Q, U, V; second not O), six digits, A–D. */
const NINO = /\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b/g;
const NINO_BAD_PREFIXES = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);
/** Numbers the SSA published or that were misused in advertising: never a person's. */
const KNOWN_INVALID_SSNS = new Set(['078051120', '219099999']);

/** SSA rules: area 001–899 except 666, group 01–99, serial 0001–9999. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  return !KNOWN_INVALID_SSNS.has(area + group + serial);
}

export const nationalIdDetector: PiiDetector = {
  type: 'national_id',
  priority: 75,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(SSN, text, (m) => {
      const start = m.index;
      const end = start + m[0].length;
      const before = codeAt(text, start - 1);
      const after = codeAt(text, end);
      if (
        before === 45 ||
        before === 46 ||
        before === 43 ||
        before === 35 ||
        after === 45 ||
        (after === 46 && isDigit(codeAt(text, end + 1)))
      )
        return;
      if (!ssnValid(m[1]!, m[3]!, m[4]!)) return;
      // nine digits in a row are an SSN only where the text says so
      if (m[2] === '' && !hasContextBefore(text, start, SSN_CONTEXT, 30)) return;
      if (m[2] === ' ' && (isWordChar(before) || isWordChar(after))) return;
      out.push({ type: 'national_id', subtype: 'us_ssn', start, end });
    });
    eachMatch(NINO, text, (m) => {
      if (NINO_BAD_PREFIXES.has(m[1]!)) return;
      out.push({ type: 'national_id', subtype: 'uk_nino', start: m.index, end: m.index + m[0].length });
    });
  },
};
