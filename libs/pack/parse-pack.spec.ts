import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PACK_BYTES } from './limits';
import { MINIMAL_PACK_YAML } from './minimal-pack.fixture';
import { PackValidationError, type PackProblem } from './pack-validation-error';
import { parsePack, parsePackDocument, type ParsePackOptions } from './parse-pack';

/** Parses and returns the problems, timing the rejection: hostile input must fail fast. */
function rejection(
  text: string,
  options?: ParsePackOptions,
): { problems: readonly PackProblem[]; ms: number } {
  const started = performance.now();
  try {
    parsePack(text, options);
  } catch (error) {
    if (!(error instanceof PackValidationError)) throw error;
    return { problems: error.problems, ms: performance.now() - started };
  }
  throw new Error('expected the document to be rejected');
}

const billionLaughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => {
    const previous = 'abcdefgh'[i]!;
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
  }),
].join('\n');

describe('parsePack', () => {
  it('reads a minimal hand-written YAML pack', () => {
    const pack = parsePack(MINIMAL_PACK_YAML);
    expect(pack.metadata.name).toBe('helper');
    expect(pack.spec.prompt.system).toBe('You are a helpful assistant.');
  });

  it('reads the same pack from JSON, strict or auto-detected, and from UTF-8 bytes', () => {
    const json = JSON.stringify(parsePackDocument(MINIMAL_PACK_YAML));
    const fromYaml = parsePack(MINIMAL_PACK_YAML);
    expect(parsePack(json, { format: 'json' })).toEqual(fromYaml);
    expect(parsePack(json)).toEqual(fromYaml);
    expect(parsePack(Buffer.from(`\uFEFF${MINIMAL_PACK_YAML}`, 'utf8'))).toEqual(fromYaml);
  });

  it('insists on strict JSON when asked for JSON', () => {
    expect(rejection(MINIMAL_PACK_YAML, { format: 'json' }).problems[0]!.reason).toMatch(/^not valid JSON/);
  });

  it('refuses a billion-laughs alias bomb quickly', () => {
    const { problems, ms } = rejection(billionLaughs);
    expect(problems).toEqual([{ pointer: '', reason: expect.stringMatching(/possible alias bomb/) }]);
    expect(ms).toBeLessThan(250);
  });

  it('refuses custom and built-in YAML tags, naming where they are', () => {
    expect(rejection(`${MINIMAL_PACK_YAML}  tools: !python/object:os.system [rm]\n`).problems).toEqual([
      { pointer: '/spec/tools', reason: 'YAML tags are not allowed (found !python/object:os.system)' },
    ]);
    const binary = MINIMAL_PACK_YAML.replace('You are a helpful assistant.', '!!binary aGVsbG8=');
    expect(rejection(binary).problems).toEqual([
      { pointer: '/spec/prompt/system', reason: 'YAML tags are not allowed (found !!binary)' },
    ]);
  });

  it('refuses duplicate keys, in YAML and in JSON', () => {
    const yaml = MINIMAL_PACK_YAML.replace(
      '  displayName: Helper\n',
      '  displayName: Helper\n  displayName: Other\n',
    );
    expect(rejection(yaml).problems).toEqual([
      { pointer: '/metadata/displayName', reason: 'is a duplicate key' },
    ]);
    const json = '{"apiVersion":"personae.dev/v1","kind":"PersonaPack","kind":"PersonaPack"}';
    expect(rejection(json, { format: 'json' }).problems).toEqual([
      { pointer: '/kind', reason: 'is a duplicate key' },
    ]);
  });

  it('refuses over-deep documents before building them, flow or block style', () => {
    const flow = `${MINIMAL_PACK_YAML}  voice: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`;
    const flowResult = rejection(flow);
    expect(flowResult.problems).toEqual([
      { pointer: '', reason: 'the document nests deeper than 32 levels (line 9)' },
    ]);
    expect(flowResult.ms).toBeLessThan(250);

    const compact = `${MINIMAL_PACK_YAML}  tools:\n    ${'- '.repeat(100_000)}x\n`;
    expect(rejection(compact).problems[0]!.reason).toBe('the document nests deeper than 32 levels (line 10)');

    // Indentation-only nesting is caught on the tree, with the pointer where it goes too deep.
    const lines = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 2)}k${i}:`);
    const indented = `${MINIMAL_PACK_YAML}  voice:\n${lines.join('\n')} end\n`;
    const deep = rejection(indented).problems;
    expect(deep).toHaveLength(1);
    expect(deep[0]!.reason).toBe('nests deeper than 32 levels');
    expect(deep[0]!.pointer).toMatch(/^\/spec\/voice\/k0\/k1\/.*\/k29$/);
  });

  it('refuses oversized documents without parsing them', () => {
    const padding = `# ${'x'.repeat(MAX_PACK_BYTES)}\n`;
    const { problems, ms } = rejection(MINIMAL_PACK_YAML + padding);
    expect(problems[0]!.reason).toMatch(
      new RegExp(`^the document is \\d+ bytes; the limit is ${MAX_PACK_BYTES}$`),
    );
    expect(ms).toBeLessThan(50);
  });

  it('refuses infinities, non-string keys and several documents', () => {
    const infinite = MINIMAL_PACK_YAML + '  personality:\n    openness: .inf\n';
    expect(rejection(infinite).problems).toEqual([
      { pointer: '/spec/personality/openness', reason: 'must be a finite number' },
    ]);
    expect(rejection(`${MINIMAL_PACK_YAML}  ? [a, b]\n  : 1\n`).problems).toEqual([
      { pointer: '/spec', reason: 'has a key that is not a plain string' },
    ]);
    expect(rejection(`${MINIMAL_PACK_YAML}---\nkind: Other\n`).problems[0]!.reason).toMatch(
      /line 9, column 1: .*multiple documents/i,
    );
  });

  it('refuses empty documents and prototype-polluting keys', () => {
    expect(rejection('# nothing here\n').problems).toEqual([
      { pointer: '', reason: 'the document is empty' },
    ]);
    const polluting = `${MINIMAL_PACK_YAML}  __proto__: { polluted: true }\n`;
    expect(rejection(polluting).problems).toEqual([
      { pointer: '/spec/__proto__', reason: expect.stringMatching(/^is not a known field/) },
    ]);
    expect(rejection('{"__proto__": {"polluted": true}}', { format: 'json' }).problems).toContainEqual({
      pointer: '/__proto__',
      reason: expect.stringMatching(/^is not a known field/),
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports YAML syntax errors with line and column', () => {
    const { problems } = rejection('apiVersion: personae.dev/v1\nkind: [PersonaPack\n');
    expect(problems[0]!.pointer).toBe('');
    expect(problems[0]!.reason).toMatch(/^YAML error at line \d+, column \d+: /);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => parsePack(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe]))).toThrow(
      'the document is not valid UTF-8',
    );
  });

  it('reads the complete example pack', () => {
    const text = readFileSync(join(__dirname, 'examples', 'biology_researcher.persona.yaml'), 'utf8');
    const pack = parsePack(text);
    expect(pack.metadata.version).toBe(3);
    expect(pack.spec.tools[0]!.sandbox.allowHosts).toEqual(['eutils.ncbi.nlm.nih.gov']);
    expect(pack.spec.models.primary).toEqual({ model: 'gpt-4o', temperature: 0.3, maxTokens: 4096 });
    expect(pack.spec.prompt.system).toContain('Never invent citations.');
    expect(pack.provenance?.changes).toHaveLength(2);
  });
});
