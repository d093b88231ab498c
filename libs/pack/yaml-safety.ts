import { CST, Lexer, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { joinPointer } from './json-pointer';
import { MAX_PACK_DEPTH, MAX_REPORTED_PROBLEMS } from './limits';
import type { PackProblem } from './pack-validation-error';

/**
 * Cheap token scan before building any tree: `yaml` composes recursively, so 100k nested `[` would cost
 * it half a second and a stack overflow. We count flow nesting plus block indicators on one line
 * (`- - - x`), both lower bounds of the real depth, and stop at the first line past the limit.
 * Depth from indentation alone needs quadratic bytes, so the size limit already bounds it.
 */
export function tokenDepthProblem(source: string, maxDepth = MAX_PACK_DEPTH): PackProblem | undefined {
  let line = 1;
  let flowDepth = 0;
  let blockIndicators = 0;
  for (const token of new Lexer().lex(source)) {
    switch (CST.tokenType(token)) {
      case 'flow-map-start':
      case 'flow-seq-start':
        flowDepth += 1;
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        flowDepth = Math.max(0, flowDepth - 1);
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        if (flowDepth === 0) blockIndicators += 1;
        break;
      case 'newline':
        blockIndicators = 0;
        break;
      default:
        break;
    }
    if (flowDepth + blockIndicators > maxDepth)
      return { pointer: '', reason: `the document nests deeper than ${maxDepth} levels (line ${line})` };
    for (let i = token.indexOf('\n'); i !== -1; i = token.indexOf('\n', i + 1)) line += 1;
  }
  return undefined;
}

/**
 * Walks the composed YAML tree (aliases not expanded) for what YAML allows and packs do not: explicit
 * tags (`!foo`, `!!binary`), non-string keys, duplicate keys, and excess depth. Problems carry the
 * pointer of the offending node, which the `yaml` package's own errors cannot give.
 */
export function yamlTreeProblems(root: Node | null, maxDepth = MAX_PACK_DEPTH): PackProblem[] {
  const problems: PackProblem[] = [];
  const stack: Array<{ node: unknown; pointer: string; depth: number }> = [
    { node: root, pointer: '', depth: 0 },
  ];
  while (stack.length > 0 && problems.length < MAX_REPORTED_PROBLEMS) {
    const { node, pointer, depth } = stack.pop()!;
    if (node === null || isAlias(node)) continue;
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined)
      problems.push({ pointer, reason: `YAML tags are not allowed (found ${shortTag(tag)})` });
    if (isMap(node) || isSeq(node)) {
      if (depth + 1 > maxDepth) {
        problems.push({ pointer, reason: `nests deeper than ${maxDepth} levels` });
        continue;
      }
    }
    if (isSeq(node)) {
      node.items.forEach((item, index) =>
        stack.push({ node: item, pointer: joinPointer(pointer, index), depth: depth + 1 }),
      );
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = keyOf(pair.key);
        if (key === undefined) {
          problems.push({ pointer, reason: 'has a key that is not a plain string' });
          continue;
        }
        const childPointer = joinPointer(pointer, key);
        if (seen.has(key)) problems.push({ pointer: childPointer, reason: 'is a duplicate key' });
        seen.add(key);
        if (isScalar(pair.key) && pair.key.tag !== undefined)
          problems.push({
            pointer: childPointer,
            reason: `YAML tags are not allowed (found ${shortTag(pair.key.tag)})`,
          });
        stack.push({ node: pair.value, pointer: childPointer, depth: depth + 1 });
      }
    }
  }
  return problems;
}

/** Keys become JS object keys, so `1` and `"1"` collide: compare them as strings, as JSON would. */
function keyOf(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const { value } = key;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function shortTag(tag: string): string {
  return tag.replace(/^tag:yaml\.org,2002:/, '!!');
}
