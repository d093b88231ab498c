import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { codeAt, eachMatch, hasContextBefore, isDigit, isWordChar } from './text-scan';

/** Digits with the separators phone numbers are written with; validated group by group below. */
const CANDIDATE = /\+?\(?\d[\d ().\-/\u00a0]{5,24}\d/g;
const CONTEXT =
  /\b(?:phone|tel|telephone|mobile|mob|cell|call|fax|whats ?app|sms|text me|reach me|ring|telefon|handy|mobil|rufnummer|tél|téléphone|portable|teléfono|móvil|celular|telefono|cellulare)\b/i;
/** Chars that, right before a number, make it part of something else (ORD-123, #123, v1.2, $5). */
const BAD_BEFORE = new Set(['#', '-', '/', '.', ':', '$', '€', '£', '@', '+', '_', '=', '&', '?', '%']);

interface Shape {
  digits: string;
  groups: number[];
  plus: boolean;
  kinds: Set<string>;
  parens: boolean;
}

/** Splits a candidate into digit groups; undefined when separators are used the way numbers never are. */
function parse(candidate: string): Shape | undefined {
  let digits = '';
  const groups: number[] = [];
  const kinds = new Set<string>();
  let group = 0;
  let open = false;
  let parens = false;
  let lastSeparator = '';
  const plus = candidate.charCodeAt(0) === 43;
  for (let i = plus ? 1 : 0; i < candidate.length; i++) {
    const ch = candidate[i]!;
    if (isDigit(ch.charCodeAt(0))) {
      digits += ch;
      group++;
      lastSeparator = '';
      continue;
    }
    if (group > 0) groups.push(group);
    group = 0;
    if (ch === '(') {
      if (open || (lastSeparator !== '' && lastSeparator !== ' ')) return undefined;
      open = true;
      parens = true;
    } else if (ch === ')') {
      if (!open) return undefined;
      open = false;
    } else {
      const kind = ch === '\u00a0' ? ' ' : ch;
      // two separators in a row only around parentheses: ") " or ")-"
      if (lastSeparator !== '' && lastSeparator !== ')') return undefined;
      if (kind !== ' ') kinds.add(kind);
    }
    lastSeparator = ch;
  }
  if (open) return undefined;
  if (group > 0) groups.push(group);
  if (kinds.size > 1) return undefined;
  return { digits, groups, plus, kinds, parens };
}

function isNanp(shape: Shape): boolean {
  const { digits, groups } = shape;
  const national = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
  if (national.length !== 10) return false;
  const tail = groups.length === 4 && groups[0] === 1 ? groups.slice(1) : groups;
  if (tail.length !== 3 || tail[0] !== 3 || tail[1] !== 3 || tail[2] !== 4) return false;
  return national[0]! >= '2' && national[3]! >= '2';
}

function looksLikeDate(shape: Shape): boolean {
  const g = shape.groups;
  return (
    g.length === 3 && ((g[0] === 4 && g[1] === 2 && g[2] === 2) || (g[0] === 2 && g[1] === 2 && g[2] === 4))
  );
}

function classify(shape: Shape, text: string, start: number): string | undefined {
  const { digits, groups, plus, kinds } = shape;
  if (looksLikeDate(shape)) return undefined;
  if (kinds.has('/') && !(groups.length === 2 && digits[0] === '0')) return undefined;
  if (plus) {
    if (digits[0] === '0' || digits.length < 8 || digits.length > 15) return undefined;
    if (groups.length === 1 && digits.length < 10) return undefined;
    return 'international';
  }
  if (kinds.has('.') && !isNanp(shape)) return undefined;
  if (groups.length > 1 && digits.startsWith('00') && digits.length >= 11 && digits.length <= 15)
    return 'international';
  if (isNanp(shape)) return 'nanp';
  if (
    groups.length > 1 &&
    digits[0] === '0' &&
    digits[1] !== '0' &&
    digits.length >= 10 &&
    digits.length <= 12 &&
    groups.every((g) => g >= 2)
  ) {
    return 'national';
  }
  if (digits.length >= 7 && digits.length <= 15 && hasContextBefore(text, start, CONTEXT, 30))
    return 'contextual';
  return undefined;
}

export const phoneDetector: PiiDetector = {
  type: 'phone',
  priority: 50,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(CANDIDATE, text, (match) => {
      let start = match.index;
      let end = start + match[0].length;
      let candidate = match[0];
      // a trailing "(" or a leading ")" is not part of the number
      if (candidate.endsWith('(')) return;
      const before = codeAt(text, start - 1);
      if (before !== -1 && (isWordChar(before) || BAD_BEFORE.has(String.fromCharCode(before)))) return;
      const after = codeAt(text, end);
      if (after !== -1 && isWordChar(after)) return;
      if (
        (after === 45 || after === 47 || after === 46 || after === 58 || after === 44) &&
        isDigit(codeAt(text, end + 1))
      )
        return;
      if (candidate.startsWith('(') && !candidate.includes(')')) {
        candidate = candidate.slice(1);
        start++;
      }
      if (candidate.charCodeAt(candidate.length - 1) === 41) {
        candidate = candidate.slice(0, -1);
        end--;
      }
      const shape = parse(candidate);
      if (!shape) return;
      const subtype = classify(shape, text, start);
      if (subtype) out.push({ type: 'phone', subtype, start, end });
    });
  },
};
