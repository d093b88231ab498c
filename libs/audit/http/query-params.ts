import { RequestValidationError } from '@personae/service-kit';
import type { Parsed } from '../domain/entry-filter';
import type { Range } from '../use-cases/verify-ledger.use-case';

/** Largest position range one verification or export request may cover. */
export const MAX_POSITION_RANGE = 10_000_000;

/**
 * Query strings as plain strings, refusing names the endpoint does not know and repeated names,
 * so a typo in a filter never silently widens an audit query.
 */
export function queryStrings(
  query: Record<string, unknown>,
  allowed: readonly string[],
): Record<string, string> {
  const problems: { field: string; reason: string }[] = [];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name))
      problems.push({ field: name, reason: `unknown filter; known: ${allowed.join(', ')}` });
    else if (typeof value !== 'string') problems.push({ field: name, reason: 'must be given once' });
    else out[name] = value;
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
  return out;
}

export function orBadRequest<T>(parsed: Parsed<T>): T {
  if (parsed.ok) return parsed.value;
  throw new RequestValidationError([{ field: parsed.field, reason: parsed.reason }]);
}

export function positionRange(query: Record<string, unknown>): Range {
  const raw = queryStrings(query, ['from', 'to']);
  const range: Range = {};
  for (const field of ['from', 'to'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (!/^(0|[1-9]\d{0,14})$/.test(value))
      throw new RequestValidationError([
        { field, reason: 'must be a ledger position (a whole number from 0)' },
      ]);
    range[field] = Number(value);
  }
  if (range.from !== undefined && range.to !== undefined) {
    if (range.to < range.from)
      throw new RequestValidationError([{ field: 'to', reason: 'must not be before from' }]);
  }
  if ((range.to ?? 0) - (range.from ?? 0) > MAX_POSITION_RANGE)
    throw new RequestValidationError([
      { field: 'to', reason: `one request covers at most ${MAX_POSITION_RANGE} positions` },
    ]);
  return range;
}

export function positionParam(value: string): number {
  if (!/^(0|[1-9]\d{0,14})$/.test(value))
    throw new RequestValidationError([{ field: 'position', reason: 'must be a ledger position' }]);
  return Number(value);
}
