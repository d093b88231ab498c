import { InvalidObjectKeyError } from './object-store.errors';
import { MAX_LIST_LIMIT, type ListOptions } from './object-store.port';

export const MAX_OBJECT_KEY_LENGTH = 512;
const MAX_SEGMENT_LENGTH = 200;

/**
 * Segments of lowercase letters, digits, `.`, `_` and `-`, not starting with `.` (so no `.`,
 * `..` or hidden names), joined by single `/`. Lowercase only: a key must name one object on
 * case-insensitive filesystems too. Internal names of the adapters use characters outside this set.
 */
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

export function assertObjectKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0)
    throw new InvalidObjectKeyError('an object key must be a non-empty string');
  if (key.length > MAX_OBJECT_KEY_LENGTH)
    throw new InvalidObjectKeyError(`an object key is at most ${MAX_OBJECT_KEY_LENGTH} characters`);
  for (const segment of key.split('/')) checkSegment(segment, key);
}

/** A list prefix: '' or the beginning of a valid key (it may end with `/` or within a segment). */
export function assertObjectPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new InvalidObjectKeyError('a prefix must be a string');
  if (prefix === '') return;
  if (prefix.length > MAX_OBJECT_KEY_LENGTH)
    throw new InvalidObjectKeyError(`a prefix is at most ${MAX_OBJECT_KEY_LENGTH} characters`);
  const segments = prefix.split('/');
  const last = segments.pop()!;
  for (const segment of segments) checkSegment(segment, prefix);
  if (last !== '') checkSegment(last, prefix);
}

function checkSegment(segment: string, whole: string): void {
  if (segment.length > MAX_SEGMENT_LENGTH)
    throw new InvalidObjectKeyError(`key segment longer than ${MAX_SEGMENT_LENGTH} characters`, safe(whole));
  if (!SEGMENT.test(segment))
    throw new InvalidObjectKeyError(
      `invalid object key ${JSON.stringify(safe(whole))}: segments are [a-z0-9][a-z0-9._-]*, separated by single "/"`,
      safe(whole),
    );
}

/** Keys come from callers: echo a bounded, printable form only. */
function safe(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 80)}…` : printable;
}

/** Validated list options: limit 1..1000 (default 1000), `after` any string or absent. */
export function listOptions(options: ListOptions = {}): { limit: number; after?: string } {
  const { limit = MAX_LIST_LIMIT, after } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  if (after !== undefined && (typeof after !== 'string' || after.length > MAX_OBJECT_KEY_LENGTH))
    throw new InvalidObjectKeyError('after must be a string of at most 512 characters');
  return after === undefined ? { limit } : { limit, after };
}
