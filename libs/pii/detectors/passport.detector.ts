import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { eachMatch } from './text-scan';

/**
 * Passport numbers have no checksum outside the machine-readable zone and look like any other
 * reference, so only a number right after the word "passport" (in a few languages) counts.
 */
const PASSPORT =
  /\b(?:passport|reisepass|passeport|pasaporte|passaporto)(?:\s*(?:no\.?|nr\.?|number|num[eé]ro|n[°º]|#|id))?\s*(?:is\s*)?[:#]?\s*([A-Z0-9]{6,9})\b/gi;

export const passportDetector: PiiDetector = {
  type: 'passport',
  priority: 55,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(PASSPORT, text, (m) => {
      const value = m[1]!;
      if (!/\d/.test(value) || value !== value.toUpperCase()) return;
      const end = m.index + m[0].length;
      out.push({ type: 'passport', subtype: 'passport_number', start: end - value.length, end });
    });
  },
};
