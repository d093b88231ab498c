import { joinPointer } from '@personae/pack';

/**
 * The RFC 6901 pointer of the first place two JSON values differ, or undefined when they are
 * equal as JSON (key order ignored, as RFC 8785 ignores it). Iterative: depth is already bounded
 * by pack validation, but a comparison should not be what overflows the stack.
 */
export function firstDifference(a: unknown, b: unknown): string | undefined {
  const stack: Array<{ a: unknown; b: unknown; pointer: string }> = [{ a, b, pointer: '' }];
  while (stack.length > 0) {
    const { a: left, b: right, pointer } = stack.pop()!;
    if (Array.isArray(left) || Array.isArray(right)) {
      if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return pointer;
      for (let i = left.length - 1; i >= 0; i--)
        stack.push({ a: left[i], b: right[i], pointer: joinPointer(pointer, i) });
      continue;
    }
    if (isObject(left) || isObject(right)) {
      if (!isObject(left) || !isObject(right)) return pointer;
      const keys = [...new Set([...present(left), ...present(right)])].sort();
      const missing = keys.find((key) => !has(left, key) || !has(right, key));
      if (missing !== undefined) return joinPointer(pointer, missing);
      for (const key of keys.reverse())
        stack.push({ a: left[key], b: right[key], pointer: joinPointer(pointer, key) });
      continue;
    }
    if (left !== right) return pointer;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(value: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(value, key) && value[key] !== undefined;
}

/** Keys whose value is not undefined: JSON has no undefined, so such a key is absent. */
function present(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}
