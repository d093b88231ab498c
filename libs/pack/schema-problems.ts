import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { TSchema } from '@sinclair/typebox';
import { MAX_REPORTED_PROBLEMS } from './limits';
import type { PackProblem } from './pack-validation-error';
import { PATTERN_HINTS } from './schema/common.schema';

/**
 * TypeBox errors → problems a person can act on: one per pointer (the first, most specific one),
 * phrased as "must …" rather than TypeBox's "Expected …".
 */
export function schemaProblems(errors: Iterable<ValueError>, basePointer = ''): PackProblem[] {
  const seen = new Set<string>();
  const problems: PackProblem[] = [];
  for (const error of errors) {
    const pointer = basePointer + error.path;
    if (seen.has(pointer)) continue;
    seen.add(pointer);
    problems.push({ pointer, reason: reasonFor(error) });
    if (problems.length >= MAX_REPORTED_PROBLEMS) break;
  }
  return problems;
}

function reasonFor(error: ValueError): string {
  const schema = error.schema as TSchema & Record<string, unknown>;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return unknownField(error);
    case ValueErrorType.String:
    case ValueErrorType.Number:
    case ValueErrorType.Integer:
    case ValueErrorType.Boolean:
    case ValueErrorType.Array:
    case ValueErrorType.Object:
      return `must be ${TYPE_NAMES[error.type]}, not ${describeValue(error.value)}`;
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1
        ? 'must not be empty'
        : `must be at least ${String(schema.minLength)} characters`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${String(schema.maxLength)} characters (it has ${lengthOf(error.value)})`;
    case ValueErrorType.StringPattern:
      return PATTERN_HINTS[String(schema.pattern)] ?? `must match ${String(schema.pattern)}`;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `must be ≤ ${String(schema.maximum)}`;
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `must be ≥ ${String(schema.minimum)}`;
    case ValueErrorType.NumberExclusiveMaximum:
    case ValueErrorType.IntegerExclusiveMaximum:
      return `must be < ${String(schema.exclusiveMaximum)}`;
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `must be > ${String(schema.exclusiveMinimum)}`;
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${String(schema.maxItems)} items (it has ${lengthOf(error.value)})`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${String(schema.minItems)} item${schema.minItems === 1 ? '' : 's'}`;
    case ValueErrorType.ArrayUniqueItems:
      return 'must not contain duplicates';
    case ValueErrorType.ObjectMinProperties:
      return `must set at least one of: ${Object.keys(schema.properties as object).join(', ')}`;
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(schema.const)}`;
    case ValueErrorType.Union:
      return unionReason(schema);
    default:
      return error.message;
  }
}

const TYPE_NAMES: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.String]: 'a string',
  [ValueErrorType.Number]: 'a number',
  [ValueErrorType.Integer]: 'an integer',
  [ValueErrorType.Boolean]: 'true or false',
  [ValueErrorType.Array]: 'a list',
  [ValueErrorType.Object]: 'an object (a mapping of fields)',
};

function unknownField(error: ValueError): string {
  const known = Object.keys((error.schema as { properties?: object }).properties ?? {});
  const field = error.path.slice(error.path.lastIndexOf('/') + 1);
  const guess = closest(field.replace(/~1/g, '/').replace(/~0/g, '~'), known);
  const hint = guess
    ? `; did you mean "${guess}"?`
    : known.length
      ? `; known fields: ${known.join(', ')}`
      : '';
  return `is not a known field${hint}`;
}

function unionReason(schema: Record<string, unknown>): string {
  const options = (schema.anyOf as Array<{ const?: unknown }> | undefined) ?? [];
  if (options.length > 0 && options.every((option) => option.const !== undefined))
    return `must be one of: ${options.map((option) => String(option.const)).join(', ')}`;
  return 'does not match any allowed form';
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  return typeof value === 'number' || typeof value === 'boolean' ? `${typeof value} ${value}` : typeof value;
}

function lengthOf(value: unknown): string {
  return typeof value === 'string' || Array.isArray(value) ? String(value.length) : '?';
}

/** A known field within edit distance 2 (case-insensitive), for "did you mean" hints. */
function closest(field: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(field.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
