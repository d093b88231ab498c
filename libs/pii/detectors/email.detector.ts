import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { codeAt, isAsciiLetter, isDigit } from './text-scan';

const AT = 64;
const DOT = 46;
const HYPHEN = 45;
/** `icon@2x.png` is an asset name, not an address. */
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'tiff']);

function isLocalChar(code: number): boolean {
  // letters, digits, . _ % + - and non-ASCII letters
  return (
    isAsciiLetter(code) ||
    isDigit(code) ||
    code === DOT ||
    code === 95 ||
    code === 37 ||
    code === 43 ||
    code === HYPHEN ||
    (code >= 0xc0 && code < 0x2000)
  );
}

function isDomainChar(code: number): boolean {
  return (
    isAsciiLetter(code) || isDigit(code) || code === DOT || code === HYPHEN || (code >= 0xc0 && code < 0x2000)
  );
}

function validDomain(text: string, start: number, end: number): boolean {
  const domain = text.slice(start, end);
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return false;
    if (label.charCodeAt(0) === HYPHEN || label.charCodeAt(label.length - 1) === HYPHEN) return false;
  }
  const tld = labels[labels.length - 1]!;
  if (tld.length < 2 || !/^[A-Za-z]+$/.test(tld)) return false;
  return !FILE_EXTENSIONS.has(tld.toLowerCase());
}

/** Finds `@` with indexOf and grows the local part and the domain around it: no regex backtracking. */
export const emailDetector: PiiDetector = {
  type: 'email',
  priority: 80,
  detect(text: string, out: PiiFinding[]): void {
    let at = text.indexOf('@');
    while (at !== -1) {
      let start = at;
      while (start > 0 && isLocalChar(text.charCodeAt(start - 1))) start--;
      while (start < at && text.charCodeAt(start) === DOT) start++;
      let end = at + 1;
      while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
      while (end > at + 1 && (text.charCodeAt(end - 1) === DOT || text.charCodeAt(end - 1) === HYPHEN)) end--;
      const localLength = at - start;
      if (
        localLength > 0 &&
        localLength <= 64 &&
        codeAt(text, at - 1) !== DOT &&
        !text.slice(start, at).includes('..') &&
        codeAt(text, end) !== AT &&
        validDomain(text, at + 1, end)
      ) {
        out.push({ type: 'email', subtype: 'email', start, end });
      }
      at = text.indexOf('@', Math.max(end, at + 1));
    }
  },
};
