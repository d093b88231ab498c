import { allow, refuse, type Outcome } from './session-state';

/** What a trainer may attach: documents and images the persona can learn from, nothing executable. */
export const ALLOWED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'text/plain',
  'text/markdown',
  'text/csv',
  'text/html',
  'application/json',
  'application/yaml',
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
]);

/** Media types whose content the agent may read as knowledge during the session. */
export const TEXT_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
  'application/yaml',
]);

/** `Text/Plain; charset=utf-8` → `text/plain`; undefined when absent or malformed. */
export function essence(contentType: string | undefined): string | undefined {
  const value = contentType?.split(';')[0]?.trim().toLowerCase();
  return value && /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(value) ? value : undefined;
}

export function checkMediaType(contentType: string | undefined): Outcome<string> {
  const type = essence(contentType);
  if (!type) return refuse('input', 'a Content-Type header naming the file type is required');
  if (!ALLOWED_MEDIA_TYPES.has(type))
    return refuse(
      'input',
      `file type ${type} is not allowed; allowed: ${[...ALLOWED_MEDIA_TYPES].sort().join(', ')}`,
    );
  return allow(type);
}

/** A file name as recorded: its last path segment, 1..200 printable characters, no control characters. */
export function checkFileName(name: string | undefined): Outcome<string> {
  if (name === undefined || name.trim() === '')
    return refuse('input', 'name: the file name is required (?name=)');
  const base = name.split(/[\\/]/).pop()!.trim();
  if (base === '' || base === '.' || base === '..') return refuse('input', 'name: not a file name');
  if (base.length > 200) return refuse('input', 'name: at most 200 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(base)) return refuse('input', 'name: control characters are not allowed');
  return allow(base);
}
