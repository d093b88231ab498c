/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form we hash and sign.
 * Keys sorted by UTF-16 code units, no whitespace, numbers in ECMAScript shortest form
 * (what JSON.stringify emits), strings escaped as JSON.stringify escapes them.
 */
export function canonicalize(value: unknown): string {
  const out = serialize(value);
  // The fast path does not track where it is; only on failure walk again to name the place.
  if (out === undefined) throw locateError(value, '');
  return out;
}

export class CanonicalizationError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot canonicalize ${path || '/'}: ${reason}`);
    this.name = 'CanonicalizationError';
  }
}

/** Undefined when something in the value is not JSON (the hot path of every seal and verify). */
function serialize(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'string':
      return quote(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = serialize(value[i]);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks (not locale, not code points).
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        const item = serialize(member);
        if (item === undefined) return undefined;
        out += `${first ? '' : ','}${quote(key)}:${item}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/** Characters JSON.stringify would escape (or, for lone surrogates, \u-escape); most strings have none. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function locateError(value: unknown, path: string): CanonicalizationError {
  if (typeof value === 'number') return new CanonicalizationError(path, 'numbers must be finite');
  if (typeof value !== 'object' || value === null)
    return new CanonicalizationError(path, `${typeof value} is not JSON`);
  const entries = Array.isArray(value)
    ? value.map((item, i) => [String(i), item] as const)
    : Object.entries(value as Record<string, unknown>).filter(([, member]) => member !== undefined);
  for (const [key, member] of entries) {
    if (serialize(member) === undefined) return locateError(member, `${path}/${escapePointer(key)}`);
  }
  return new CanonicalizationError(path, 'not JSON');
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
