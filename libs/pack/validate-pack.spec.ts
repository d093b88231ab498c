import { minimalPack } from './minimal-pack.fixture';
import { PackValidationError, type PackProblem } from './pack-validation-error';
import { checkPack, validateFragment, validatePack } from './validate-pack';
import { ToolSpecSchema } from './schema/tool.schema';

function problemsOf(value: unknown): PackProblem[] {
  const result = checkPack(value);
  if (result.ok) throw new Error('expected the pack to be invalid');
  return result.problems;
}

function withSpec(spec: Record<string, unknown>): ReturnType<typeof minimalPack> {
  const pack = minimalPack();
  pack.spec = { ...pack.spec, ...spec };
  return pack;
}

const tool = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: `The ${name} tool.`,
  ...extra,
});

describe('validatePack', () => {
  it('accepts a minimal pack and fills every default, in schema order', () => {
    const pack = validatePack(minimalPack());
    expect(pack.metadata).toEqual({
      name: 'helper',
      displayName: 'Helper',
      description: '',
      category: 'general',
      tags: [],
    });
    expect(Object.keys(pack.spec)).toEqual([
      'prompt',
      'personality',
      'style',
      'capabilities',
      'tools',
      'knowledge',
      'models',
      'policy',
      'validation',
    ]);
    expect(pack.spec.personality.openness).toBe(0.5);
    expect(pack.spec.style.verbosity).toBe('balanced');
    expect(pack.spec.policy).toEqual({
      allowedActions: [],
      blockedActions: [],
      piiRedaction: { enabled: true, mode: 'mask' },
      requiredApprovals: 1,
      audit: { level: 'standard' },
      escalation: { channels: [] },
    });
    expect(pack.spec.models).toEqual({ fallback: [], budget: {} });
  });

  it('does not touch the value it was given', () => {
    const input = minimalPack();
    const before = JSON.stringify(input);
    validatePack(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('names the pointer of a wrong type deep in the tree, with a readable reason', () => {
    const pack = withSpec({
      personality: { openness: 'high' },
      tools: [tool('web.search', { sandbox: { timeoutMs: 'soon' } })],
    });
    expect(problemsOf(pack)).toEqual([
      { pointer: '/spec/personality/openness', reason: 'must be a number, not a string ("high")' },
      { pointer: '/spec/tools/0/sandbox/timeoutMs', reason: 'must be an integer, not a string ("soon")' },
    ]);
  });

  it('reports out-of-range numbers with their bound', () => {
    expect(problemsOf(withSpec({ personality: { openness: 1.5 } }))).toEqual([
      { pointer: '/spec/personality/openness', reason: 'must be ≤ 1' },
    ]);
    expect(problemsOf(withSpec({ models: { primary: { model: 'm', temperature: -1 } } }))).toEqual([
      { pointer: '/spec/models/primary/temperature', reason: 'must be ≥ 0' },
    ]);
  });

  it('rejects unknown fields, suggesting the field that was probably meant', () => {
    const pack = minimalPack();
    pack.metadata.dispalyName = 'typo';
    pack.spec.prompt.temperature = 0.3;
    expect(problemsOf(pack)).toEqual([
      { pointer: '/metadata/dispalyName', reason: 'is not a known field; did you mean "displayName"?' },
      {
        pointer: '/spec/prompt/temperature',
        reason: expect.stringMatching(/^is not a known field; known fields: system, tone, vocabulary/),
      },
    ]);
  });

  it('reports missing required fields once each', () => {
    const pack = minimalPack();
    delete pack.metadata.displayName;
    delete pack.spec.prompt.system;
    delete pack.kind;
    expect(problemsOf(pack)).toEqual([
      { pointer: '/kind', reason: 'is required' },
      { pointer: '/metadata/displayName', reason: 'is required' },
      { pointer: '/spec/prompt/system', reason: 'is required' },
    ]);
  });

  it('explains enums, literals, patterns and duplicates', () => {
    const pack = withSpec({ style: { verbosity: 'chatty' }, capabilities: ['coding', 'coding'] });
    pack.apiVersion = 'personae.dev/v2';
    pack.metadata.name = 'Helper Bot';
    expect(problemsOf(pack)).toEqual([
      { pointer: '/apiVersion', reason: 'must be "personae.dev/v1"' },
      { pointer: '/metadata/name', reason: expect.stringContaining('must be a slug') },
      { pointer: '/spec/style/verbosity', reason: 'must be one of: concise, balanced, detailed, elaborate' },
      { pointer: '/spec/capabilities', reason: 'must not contain duplicates' },
    ]);
  });

  it('treats undefined fields as absent, as JSON.stringify would', () => {
    const pack = minimalPack();
    pack.metadata.avatar = undefined;
    pack.spec.prompt.tone = undefined;
    expect(validatePack(pack).spec.prompt).not.toHaveProperty('tone');
    expect(problemsOf(withSpec({ capabilities: ['coding', undefined] }))).toEqual([
      { pointer: '/spec/capabilities/1', reason: 'must be JSON data, not undefined' },
    ]);
  });

  it('rejects values that are not plain JSON', () => {
    expect(problemsOf(withSpec({ personality: { openness: Number.NaN } }))).toEqual([
      { pointer: '/spec/personality/openness', reason: 'must be a finite number' },
    ]);
    expect(problemsOf(withSpec({ tools: [tool('x', { description: new Date(0) })] }))).toEqual([
      { pointer: '/spec/tools/0/description', reason: 'must be plain JSON data' },
    ]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(problemsOf(cyclic)[0]!.reason).toMatch(/nests deeper than 32 levels/);
  });

  it('requires a tool input schema to be an object schema', () => {
    const pack = withSpec({ tools: [tool('web.search', { inputSchema: { type: 'string' } })] });
    expect(problemsOf(pack)).toEqual([
      { pointer: '/spec/tools/0/inputSchema/type', reason: 'must be "object"' },
    ]);
  });

  it('requires a validation test to check something', () => {
    const pack = withSpec({ validation: [{ name: 'empty', input: 'hi', expect: {} }] });
    expect(problemsOf(pack)).toEqual([
      {
        pointer: '/spec/validation/0/expect',
        reason: 'must set at least one of: contains, notContains, matches, refuses',
      },
    ]);
  });

  it('throws PackValidationError listing every problem in its message', () => {
    const pack = withSpec({ personality: { openness: 2, extraversion: -1 } });
    try {
      validatePack(pack);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(PackValidationError);
      expect((error as PackValidationError).problems).toHaveLength(2);
      expect((error as Error).message).toBe(
        'invalid persona pack (2 problems):\n  /spec/personality/openness: must be ≤ 1\n  /spec/personality/extraversion: must be ≥ 0',
      );
    }
  });

  describe('semantic checks', () => {
    it('require unique tool, test and snapshot names', () => {
      const knowledge = {
        snapshot: 'kb-1',
        embedder: 'hashing-v1',
        manifestDigest: `sha256:${'a'.repeat(64)}`,
        chunks: 1,
      };
      const test = { name: 'greets', input: 'hi', expect: { refuses: false } };
      const pack = withSpec({
        tools: [tool('a'), tool('b'), tool('a')],
        validation: [test, test],
        knowledge: [knowledge, knowledge],
      });
      expect(problemsOf(pack)).toEqual([
        {
          pointer: '/spec/tools/2/name',
          reason: '"a" is already used by /spec/tools/0; names must be unique',
        },
        {
          pointer: '/spec/validation/1/name',
          reason: '"greets" is already used by /spec/validation/0; names must be unique',
        },
        { pointer: '/spec/knowledge/1/snapshot', reason: expect.stringContaining('"kb-1" is already used') },
      ]);
    });

    it('refuse actions that are both allowed and blocked, including through wildcards', () => {
      const pack = withSpec({
        policy: {
          allowedActions: ['web.search', 'repo.read', 'answer'],
          blockedActions: ['web.*', 'answer'],
        },
      });
      expect(problemsOf(pack)).toEqual([
        {
          pointer: '/spec/policy/allowedActions/0',
          reason: expect.stringContaining('"web.search" is also blocked by "web.*"'),
        },
        {
          pointer: '/spec/policy/allowedActions/2',
          reason: expect.stringContaining('"answer" is also blocked by "answer"'),
        },
      ]);
      expect(
        checkPack(withSpec({ policy: { allowedActions: ['web.*'], blockedActions: ['web.post'] } })).ok,
      ).toBe(true);
    });

    it('refuse tools the pack’s own policy forbids', () => {
      const blocked = withSpec({
        tools: [tool('payments.send')],
        policy: { blockedActions: ['payments.*'] },
      });
      expect(problemsOf(blocked)).toEqual([
        {
          pointer: '/spec/tools/0/name',
          reason: 'tool "payments.send" is blocked by policy.blockedActions "payments.*"',
        },
      ]);
      const unlisted = withSpec({ tools: [tool('web.search')], policy: { allowedActions: ['answer'] } });
      expect(problemsOf(unlisted)[0]!.reason).toMatch(/not matched by any policy.allowedActions/);
    });

    it('keep fallbacks distinct from the primary model and budgets consistent', () => {
      const pack = withSpec({
        models: {
          primary: { model: 'gpt-4o' },
          fallback: [{ model: 'gpt-4o' }, { model: 'small' }, { model: 'small' }],
          budget: { maxCostPerRequest: 5, maxCostPerDay: 1 },
        },
      });
      expect(problemsOf(pack)).toEqual([
        { pointer: '/spec/models/fallback/0/model', reason: '"gpt-4o" is already the primary model' },
        { pointer: '/spec/models/fallback/2/model', reason: '"small" is listed twice' },
        { pointer: '/spec/models/budget/maxCostPerRequest', reason: 'must be ≤ maxCostPerDay (1)' },
      ]);
    });

    it('check sandbox hosts, required arguments and test regexes', () => {
      const pack = withSpec({
        tools: [
          tool('a', { sandbox: { network: 'allowlist' } }),
          tool('b', { sandbox: { network: 'none', allowHosts: ['example.com'] } }),
          tool('c', { inputSchema: { type: 'object', properties: { q: {} }, required: ['q', 'limit'] } }),
        ],
        validation: [{ name: 'bad-regex', input: 'hi', expect: { matches: '(unclosed' } }],
      });
      expect(problemsOf(pack)).toEqual([
        {
          pointer: '/spec/tools/0/sandbox/allowHosts',
          reason: 'must list at least one host when network is "allowlist"',
        },
        {
          pointer: '/spec/tools/1/sandbox/allowHosts',
          reason: 'only applies when network is "allowlist" (it is "none")',
        },
        {
          pointer: '/spec/tools/2/inputSchema/required/1',
          reason: '"limit" is required but not declared in inputSchema.properties',
        },
        {
          pointer: '/spec/validation/0/expect/matches',
          reason: expect.stringMatching(/^is not a valid regular expression/),
        },
      ]);
    });
  });

  describe('validateFragment', () => {
    it('normalizes a part and prefixes problems with where it goes', () => {
      expect(validateFragment(ToolSpecSchema, tool('web.search'), '/spec/tools/0').sandbox).toEqual({
        network: 'none',
        allowHosts: [],
        timeoutMs: 30000,
        maxOutputBytes: 1048576,
      });
      expect(() => validateFragment(ToolSpecSchema, { name: 'Web Search' }, '/spec/tools/3')).toThrow(
        /\/spec\/tools\/3\/description: is required[\s\S]*\/spec\/tools\/3\/name: must be a tool name/,
      );
    });
  });
});
