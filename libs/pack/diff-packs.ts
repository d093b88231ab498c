import { joinPointer } from './json-pointer';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface PackChange {
  /** Where, as a pointer into `b` for added and changed values and into `a` for removed ones. */
  pointer: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
}

/** Fields that identify an item in a list of objects: tools and tests by name, knowledge by snapshot. */
const IDENTITY_FIELDS = ['name', 'snapshot'] as const;

/**
 * Structural diff of two packs (or any JSON values). Objects are compared field by field in sorted key
 * order; lists of named items (tools, validation tests, knowledge) are matched by name, so inserting a
 * tool reports one addition instead of a change at every later index; other lists by index. A pure
 * reorder of named items is reported as one change of the list's name order. Output order is
 * deterministic: it depends only on the values, never on key insertion order.
 */
export function diffPacks(a: unknown, b: unknown): PackChange[] {
  const changes: PackChange[] = [];
  diffValues(a, b, '', '', changes);
  return changes;
}

function diffValues(a: unknown, b: unknown, pointerA: string, pointerB: string, out: PackChange[]): void {
  if (isObject(a) && isObject(b)) return diffObjects(a, b, pointerA, pointerB, out);
  if (Array.isArray(a) && Array.isArray(b)) {
    const field = identityField(a, b);
    return field
      ? diffNamedLists(a, b, field, pointerA, pointerB, out)
      : diffLists(a, b, pointerA, pointerB, out);
  }
  if (!sameJson(a, b)) out.push({ pointer: pointerB, kind: 'changed', before: a, after: b });
}

function diffObjects(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  pointerA: string,
  pointerB: string,
  out: PackChange[],
): void {
  const keys = [...new Set([...definedKeys(a), ...definedKeys(b)])].sort(compareKeys);
  for (const key of keys) {
    const inA = a[key] !== undefined;
    const inB = b[key] !== undefined;
    if (inA && inB) diffValues(a[key], b[key], joinPointer(pointerA, key), joinPointer(pointerB, key), out);
    else if (inB) out.push({ pointer: joinPointer(pointerB, key), kind: 'added', after: b[key] });
    else out.push({ pointer: joinPointer(pointerA, key), kind: 'removed', before: a[key] });
  }
}

function diffLists(a: unknown[], b: unknown[], pointerA: string, pointerB: string, out: PackChange[]): void {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++)
    diffValues(a[i], b[i], joinPointer(pointerA, i), joinPointer(pointerB, i), out);
  for (let i = common; i < b.length; i++)
    out.push({ pointer: joinPointer(pointerB, i), kind: 'added', after: b[i] });
  for (let i = common; i < a.length; i++)
    out.push({ pointer: joinPointer(pointerA, i), kind: 'removed', before: a[i] });
}

function diffNamedLists(
  a: unknown[],
  b: unknown[],
  field: string,
  pointerA: string,
  pointerB: string,
  out: PackChange[],
): void {
  const idsA = a.map((item) => identity(item, field));
  const idsB = b.map((item) => identity(item, field));
  const commonA = idsA.filter((id) => idsB.includes(id));
  const commonB = idsB.filter((id) => idsA.includes(id));
  if (!sameJson(commonA, commonB))
    out.push({ pointer: pointerB, kind: 'changed', before: idsA, after: idsB });
  idsB.forEach((id, indexB) => {
    const indexA = idsA.indexOf(id);
    if (indexA === -1) out.push({ pointer: joinPointer(pointerB, indexB), kind: 'added', after: b[indexB] });
    else diffValues(a[indexA], b[indexB], joinPointer(pointerA, indexA), joinPointer(pointerB, indexB), out);
  });
  idsA.forEach((id, indexA) => {
    if (!idsB.includes(id))
      out.push({ pointer: joinPointer(pointerA, indexA), kind: 'removed', before: a[indexA] });
  });
}

/** The identity field, if every item on both sides is an object with a unique string value in it. */
function identityField(a: unknown[], b: unknown[]): string | undefined {
  if (a.length + b.length === 0) return undefined;
  return IDENTITY_FIELDS.find((field) =>
    [a, b].every((list) => {
      const ids = list.map((item) => (isObject(item) ? item[field] : undefined));
      return ids.every((id) => typeof id === 'string') && new Set(ids).size === ids.length;
    }),
  );
}

function identity(item: unknown, field: string): string {
  return (item as Record<string, string>)[field]!;
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = definedKeys(x);
  return keys.length === definedKeys(y).length && keys.every((key) => sameJson(x[key], y[key]));
}
