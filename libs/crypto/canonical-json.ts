/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form we hash and sign.
 * Keys sorted by UTF-16 code units, no whitespace, numbers in ECMAScript shortest form
 * (what JSON.stringify emits), strings escaped as JSON.stringify escapes them.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, '');
}

export class CanonicalizationError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot canonicalize ${path || '/'}: ${reason}`);
    this.name = 'CanonicalizationError';
  }
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(path, 'numbers must be finite');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((item, i) => serialize(item, `${path}/${i}`)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort(compareUtf16);
      return `{${keys.map((key) => `${JSON.stringify(key)}:${serialize(record[key], `${path}/${escapePointer(key)}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalizationError(path, `${typeof value} is not JSON`);
  }
}

/** Code-unit order, as RFC 8785 §3.2.3 asks (not locale order, not code points). */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
