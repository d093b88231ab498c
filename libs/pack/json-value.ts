import { joinPointer } from './json-pointer';
import { MAX_PACK_DEPTH, MAX_REPORTED_PROBLEMS } from './limits';
import type { PackProblem } from './pack-validation-error';

/**
 * Checks that `value` is plain JSON no deeper than MAX_PACK_DEPTH: finite numbers, strings, booleans,
 * null, arrays and plain objects. Iterative, so a hostile depth cannot overflow our stack, and a cyclic
 * object is caught by the depth limit.
 */
export function jsonValueProblems(value: unknown, maxDepth = MAX_PACK_DEPTH): PackProblem[] {
  const problems: PackProblem[] = [];
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value, pointer: '', depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_REPORTED_PROBLEMS) {
    const { value: node, pointer, depth } = stack.pop()!;
    const problem = leafProblem(node);
    if (problem) {
      problems.push({ pointer, reason: problem });
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > maxDepth) {
      // One report is enough: everything below is deeper still.
      return [{ pointer, reason: `nests deeper than ${maxDepth} levels` }];
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(node)
      ? node.map((item, index): [number, unknown] => [index, item])
      : Object.entries(node).filter(([, child]) => child !== undefined); // absent, as in JSON.stringify
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      stack.push({ value: child, pointer: joinPointer(pointer, key), depth: depth + 1 });
    }
  }
  return problems;
}

function leafProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : 'must be a finite number';
    case 'object': {
      if (value === null || Array.isArray(value)) return undefined;
      // Plain means Object.prototype or null, from any realm (structuredClone and vm contexts have their own).
      const prototype = Object.getPrototypeOf(value) as object | null;
      return prototype === null || Object.getPrototypeOf(prototype) === null
        ? undefined
        : 'must be plain JSON data';
    }
    default:
      return `must be JSON data, not ${typeof value}`;
  }
}
