import { escapePointerToken } from '@personae/pack';
import { detectPii } from './detect-pii';
import type { PiiFinding } from './pii-finding';
import { PseudonymTable } from './pseudonym-table';
import { applyRedaction, type RedactPiiOptions } from './redact-pii';

export interface RedactJsonOptions extends RedactPiiOptions {
  /** Objects nested deeper than this are replaced by `[TRUNCATED]` (default 64). */
  maxDepth?: number;
  /** Keys whose string value is a secret whatever it looks like (default: password, token, authorization, …). */
  secretKeys?: RegExp;
}

/** A finding inside a JSON value: `pointer` (RFC 6901) names the string, start/end are offsets in it. */
export interface JsonPiiFinding extends PiiFinding {
  pointer: string;
}

export interface RedactedJson<T> {
  value: T;
  findings: JsonPiiFinding[];
}

export const DEFAULT_SECRET_KEYS =
  /^(?:password|passwd|pwd|passphrase|secret|client_?secret|token|access_?token|refresh_?token|id_?token|api_?key|apikey|x-api-key|authorization|cookie|set-cookie|private_?key|secret_?key)$/i;

interface Walk {
  options: RedactJsonOptions;
  pseudonyms: PseudonymTable | undefined;
  findings: JsonPiiFinding[];
  seen: WeakSet<object>;
  maxDepth: number;
  secretKeys: RegExp;
}

function redactString(walk: Walk, text: string, pointer: string, secret: boolean): string {
  const mode = walk.options.mode ?? 'mask';
  if (
    secret &&
    text.length > 0 &&
    (walk.options.types === undefined || walk.options.types.includes('credentials'))
  ) {
    const finding: PiiFinding = { type: 'credentials', subtype: 'secret_field', start: 0, end: text.length };
    walk.findings.push({ ...finding, pointer });
    return applyRedaction(text, [finding], mode, walk.pseudonyms);
  }
  const found = detectPii(text, { types: walk.options.types });
  if (found.length === 0) return text;
  for (const f of found) walk.findings.push({ ...f, pointer });
  return applyRedaction(text, found, mode, walk.pseudonyms);
}

function redactValue(walk: Walk, value: unknown, pointer: string, depth: number, secret: boolean): unknown {
  if (typeof value === 'string') return redactString(walk, value, pointer, secret);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= walk.maxDepth) return '[TRUNCATED]';
  if (walk.seen.has(value)) return '[CIRCULAR]';
  walk.seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item, i) => redactValue(walk, item, `${pointer}/${i}`, depth + 1, secret));
    }
    if (value instanceof Error) {
      return redactValue(
        walk,
        { type: value.name, message: value.message, stack: value.stack },
        pointer,
        depth,
        false,
      );
    }
    if (value instanceof Date || ArrayBuffer.isView(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const child = `${pointer}/${escapePointerToken(key)}`;
      result[key] = redactValue(walk, item, child, depth + 1, walk.secretKeys.test(key));
    }
    return result;
  } finally {
    walk.seen.delete(value);
  }
}

/**
 * Redacts every string in a JSON-like value (event payloads, log records): a copy comes back,
 * the input is not changed. Strings under secret-looking keys are redacted whole.
 */
export function redactJson<T>(value: T, options: RedactJsonOptions = {}): RedactedJson<T> {
  const walk: Walk = {
    options,
    pseudonyms: options.mode === 'pseudonymize' ? (options.pseudonyms ?? new PseudonymTable()) : undefined,
    findings: [],
    seen: new WeakSet(),
    maxDepth: options.maxDepth ?? 64,
    secretKeys: options.secretKeys ?? DEFAULT_SECRET_KEYS,
  };
  return { value: redactValue(walk, value, '', 0, false) as T, findings: walk.findings };
}
