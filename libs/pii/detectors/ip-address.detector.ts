import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { codeAt, eachMatch, isDigit, isWordChar } from './text-scan';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`\\b${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\b`, 'g');
const IPV4_EXACT = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
/** "v1.2.3.4", "version 10.0.0.1": four-part version numbers, not addresses. */
const VERSION_BEFORE = /(?:\bv|\bversion\s*|\bbuild\s*|\brelease\s*|@)$/i;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

function isHexOrColon(code: number): boolean {
  return (
    isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102) || code === 58 || code === 46
  );
}

/** RFC 4291 text forms: eight groups, or fewer around one `::`, optionally ending in dotted IPv4. */
export function ipv6Valid(candidate: string): boolean {
  const halves = candidate.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    const half = halves[h]!;
    if (half === '') continue;
    const parts = half.split(':');
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p]!;
      if (part.includes('.')) {
        if (h !== halves.length - 1 || p !== parts.length - 1 || !IPV4_EXACT.test(part)) return false;
        groups += 2;
      } else if (HEX_GROUP.test(part)) groups++;
      else return false;
    }
  }
  return halves.length === 2 ? groups >= 1 && groups <= 7 : groups === 8;
}

function detectIpv4(text: string, out: PiiFinding[]): void {
  eachMatch(IPV4, text, (m) => {
    const start = m.index;
    const end = start + m[0].length;
    const before = codeAt(text, start - 1);
    const after = codeAt(text, end);
    if (before === 46 || before === 45 || before === 58) return;
    if ((after === 46 || after === 45) && isDigit(codeAt(text, end + 1))) return;
    if (after === 58 && isHexOrColon(codeAt(text, end + 1)) && !isDigit(codeAt(text, end + 1))) return;
    if (VERSION_BEFORE.test(text.slice(Math.max(0, start - 10), start))) return;
    out.push({ type: 'ip_address', subtype: 'ipv4', start, end });
  });
}

/** Grows each `:` into the run of hex digits, colons and dots around it, then parses that run. */
function detectIpv6(text: string, out: PiiFinding[]): void {
  let colon = text.indexOf(':');
  while (colon !== -1) {
    let start = colon;
    while (start > 0 && isHexOrColon(text.charCodeAt(start - 1))) start--;
    let end = colon + 1;
    while (end < text.length && isHexOrColon(text.charCodeAt(end))) end++;
    // a sentence may end right after the address
    while (end > colon + 1 && text.charCodeAt(end - 1) === 46) end--;
    while (start < colon && text.charCodeAt(start) === 46) start++;
    const candidate = text.slice(start, end);
    if (
      candidate.length >= 3 &&
      !isWordChar(codeAt(text, start - 1)) &&
      !isWordChar(codeAt(text, end)) &&
      (candidate.match(/:/g)?.length ?? 0) >= 2 &&
      ipv6Valid(candidate)
    ) {
      out.push({ type: 'ip_address', subtype: 'ipv6', start, end });
    }
    colon = text.indexOf(':', Math.max(end, colon + 1));
  }
}

export const ipAddressDetector: PiiDetector = {
  type: 'ip_address',
  priority: 70,
  detect(text: string, out: PiiFinding[]): void {
    detectIpv4(text, out);
    detectIpv6(text, out);
  },
};
