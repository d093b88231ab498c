import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';

/**
 * Passport numbers have no checksum outside the machine-readable zone and look like any other
 * reference, so only a number right after the word "passport" (in a few languages) counts.
 */
const PASSPORT_WORDS = '\\b(?:passport|reisepass|passeport|pasaporte|passaporto)';
const PASSPORT =
  /(?:passport|reisepass|passeport|pasaporte|passaporto)(?:\s*(?:no\.?|nr\.?|number|num[eé]ro|n[°º]|#|id))?\s*(?:is\s*)?[:#]?\s*([A-Z0-9]{6,9})\b/iy;

export const passportDetector: PiiDetector = {
  type: 'passport',
  priority: 55,
  keywords: PASSPORT_WORDS,
  detect(): void {
    // passport numbers are only taken after the word
  },
  onKeyword(text: string, at: number, out: PiiFinding[]): void {
    PASSPORT.lastIndex = at;
    const m = PASSPORT.exec(text);
    if (!m) return;
    const value = m[1]!;
    if (!/\d/.test(value) || value !== value.toUpperCase()) return;
    const end = at + m[0].length;
    out.push({ type: 'passport', subtype: 'passport_number', start: end - value.length, end });
  },
};
