import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffPacks } from './diff-packs';
import { parsePack } from './parse-pack';
import type { PersonaPack } from './schema/persona-pack.schema';

const example = (): PersonaPack =>
  parsePack(readFileSync(join(__dirname, 'examples', 'biology_researcher.persona.yaml'), 'utf8'));

const tool = (name: string) => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object' as const, properties: {} },
  sandbox: { network: 'none' as const, allowHosts: [], timeoutMs: 1000, maxOutputBytes: 1000 },
  credentialScopes: [],
  heuristics: [],
});

describe('diffPacks', () => {
  it('finds nothing between equal packs, whatever their key order', () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    const a = example();
    const b = reversed(example());
    expect(Object.keys(b as object)[0]).toBe('provenance');
    expect(diffPacks(a, b)).toEqual([]);
  });

  it('reports changed, added and removed fields with pointers and values, in sorted key order', () => {
    const a = example();
    const b = example();
    b.metadata.version = 4;
    b.spec.personality.openness = 0.8;
    b.spec.prompt.tone = undefined;
    b.metadata.tags.push('genomics');
    b.spec.voice = undefined;
    b.spec.models.budget.maxCostPerDay = undefined;
    expect(diffPacks(a, b)).toEqual([
      { pointer: '/metadata/tags/3', kind: 'added', after: 'genomics' },
      { pointer: '/metadata/version', kind: 'changed', before: 3, after: 4 },
      { pointer: '/spec/models/budget/maxCostPerDay', kind: 'removed', before: 25 },
      { pointer: '/spec/personality/openness', kind: 'changed', before: 0.9, after: 0.8 },
      { pointer: '/spec/prompt/tone', kind: 'removed', before: 'curious, rigorous, collegial' },
      { pointer: '/spec/voice', kind: 'removed', before: a.spec.voice },
    ]);
  });

  it('compares plain lists by index', () => {
    expect(diffPacks({ l: ['a', 'b', 'c'] }, { l: ['a', 'x'] })).toEqual([
      { pointer: '/l/1', kind: 'changed', before: 'b', after: 'x' },
      { pointer: '/l/2', kind: 'removed', before: 'c' },
    ]);
  });

  it('matches tools by name: an insertion is one addition, edits point into the new pack', () => {
    const a = example();
    const b = example();
    a.spec.tools.push(tool('stats.run'));
    b.spec.tools = [
      tool('web.fetch'),
      a.spec.tools[0]!,
      { ...tool('stats.run'), description: 'Runs statistics.' },
    ];
    expect(diffPacks(a, b)).toEqual([
      { pointer: '/spec/tools/0', kind: 'added', after: b.spec.tools[0] },
      {
        pointer: '/spec/tools/2/description',
        kind: 'changed',
        before: 'The stats.run tool.',
        after: 'Runs statistics.',
      },
    ]);
  });

  it('reports a pure reorder of named items as one change of the name order', () => {
    const a = { tools: [tool('a'), tool('b')] };
    const b = { tools: [tool('b'), tool('a')] };
    expect(diffPacks(a, b)).toEqual([
      { pointer: '/tools', kind: 'changed', before: ['a', 'b'], after: ['b', 'a'] },
    ]);
  });

  it('reports removed named items at their index in the old pack', () => {
    const a = { tools: [tool('a'), tool('b'), tool('c')] };
    const b = { tools: [tool('a'), tool('c')] };
    expect(diffPacks(a, b)).toEqual([{ pointer: '/tools/1', kind: 'removed', before: tool('b') }]);
  });

  it('reports a type change as one change, not a diff of the insides', () => {
    expect(diffPacks({ v: { a: 1 } }, { v: [1] })).toEqual([
      { pointer: '/v', kind: 'changed', before: { a: 1 }, after: [1] },
    ]);
  });

  it('escapes pointer tokens', () => {
    expect(diffPacks({ 'a/b': 1 }, { 'a/b': 2 })).toEqual([
      { pointer: '/a~1b', kind: 'changed', before: 1, after: 2 },
    ]);
  });
});
