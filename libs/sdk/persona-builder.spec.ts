import { PackValidationError, packDigest, type PackProblem } from '@personae/pack';
import { PersonaBuilder } from './persona-builder';

function problemsOf(action: () => unknown): readonly PackProblem[] {
  try {
    action();
  } catch (error) {
    if (error instanceof PackValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a PackValidationError');
}

const reviewer = () =>
  new PersonaBuilder('code-reviewer')
    .withName('Code Reviewer')
    .withSystemPrompt('You review code for correctness, security and clarity.')
    .withCapabilities('coding', 'critique')
    .withMaxCost(0.5)
    .allowActions('review', 'suggest', 'explain')
    .blockActions('execute_code', 'modify_files')
    .withTags('code', 'review');

describe('PersonaBuilder', () => {
  it('builds the example from the issue into a validated, normalized pack', () => {
    const pack = reviewer().build();
    expect(pack.apiVersion).toBe('personae.dev/v1');
    expect(pack.metadata).toMatchObject({
      name: 'code-reviewer',
      displayName: 'Code Reviewer',
      tags: ['code', 'review'],
    });
    expect(pack.spec.capabilities).toEqual(['coding', 'critique']);
    expect(pack.spec.models.budget).toEqual({ maxCostPerRequest: 0.5 });
    expect(pack.spec.policy.allowedActions).toEqual(['review', 'suggest', 'explain']);
    expect(pack.spec.policy.blockedActions).toEqual(['execute_code', 'modify_files']);
    expect(pack.spec.personality.openness).toBe(0.5);
  });

  it('is immutable: deriving a builder leaves the original as it was', () => {
    const base = reviewer();
    const before = packDigest(base.build());
    const derived = base.withTags('security').withPersonality({ openness: 0.9 }).blockActions('deploy.*');
    expect(packDigest(base.build())).toBe(before);
    expect(derived.build().metadata.tags).toEqual(['security']);
    expect(derived.build().spec.policy.blockedActions).toEqual(['execute_code', 'modify_files', 'deploy.*']);
  });

  it('merges personality and style calls without resetting earlier values to defaults', () => {
    const pack = reviewer()
      .withPersonality({ openness: 0.9 })
      .withPersonality({ conscientiousness: 0.95 })
      .withStyle({ verbosity: 'concise' })
      .withStyle({ humor: 0 })
      .build();
    expect(pack.spec.personality).toMatchObject({
      openness: 0.9,
      conscientiousness: 0.95,
      extraversion: 0.5,
    });
    expect(pack.spec.style).toMatchObject({ verbosity: 'concise', humor: 0, tone: 'professional' });
  });

  it('rejects bad arguments at the call, with the pointer they would have in the pack', () => {
    expect(problemsOf(() => new PersonaBuilder('Code Reviewer'))).toEqual([
      { pointer: '/metadata/name', reason: expect.stringContaining('must be a slug') },
    ]);
    const builder = reviewer();
    expect(problemsOf(() => builder.withName(''))).toEqual([
      { pointer: '/metadata/displayName', reason: 'must not be empty' },
    ]);
    expect(problemsOf(() => builder.withPersonality({ openness: 3 }))).toEqual([
      { pointer: '/spec/personality/openness', reason: 'must be ≤ 1' },
    ]);
    expect(problemsOf(() => builder.withPersonality({ wit: 1 } as never))[0]).toMatchObject({
      pointer: '/spec/personality/wit',
    });
    expect(problemsOf(() => builder.withCapabilities('coding', 'telepathy' as never))).toEqual([
      {
        pointer: '/spec/capabilities/1',
        reason: expect.stringContaining('must be one of: research, analysis'),
      },
    ]);
    expect(problemsOf(() => builder.withTags('Machine Learning'))[0]!.pointer).toBe('/metadata/tags/0');
    expect(problemsOf(() => builder.withMaxCost(-1))).toEqual([
      { pointer: '/spec/models/budget/maxCostPerRequest', reason: 'must be ≥ 0' },
    ]);
    expect(problemsOf(() => builder.withMaxCost(5, 1))).toEqual([
      { pointer: '/spec/models/budget/maxCostPerRequest', reason: 'must be ≤ maxCostPerDay (1)' },
    ]);
    expect(problemsOf(() => builder.withModel({ model: 'gpt-4o', temperature: 3 }))).toEqual([
      { pointer: '/spec/models/primary/temperature', reason: 'must be ≤ 2' },
    ]);
    expect(problemsOf(() => builder.requireApprovals(0))).toEqual([
      { pointer: '/spec/policy/requiredApprovals', reason: 'must be ≥ 1' },
    ]);
    expect(problemsOf(() => builder.withAuditLevel('verbose' as never))[0]!.pointer).toBe(
      '/spec/policy/audit/level',
    );
    expect(problemsOf(() => builder.withEscalationChannels('legal team'))[0]!.pointer).toBe(
      '/spec/policy/escalation/channels/0',
    );
  });

  it('refuses an action that would be both allowed and blocked, in either order', () => {
    expect(problemsOf(() => reviewer().allowActions('modify_files'))).toEqual([
      {
        pointer: '/spec/policy/allowedActions',
        reason: expect.stringContaining('"modify_files" would be both allowed and blocked'),
      },
    ]);
    expect(problemsOf(() => reviewer().blockActions('*'))[0]!.reason).toContain('(by "*")');
    expect(problemsOf(() => reviewer().allowActions('web search'))[0]!.pointer).toBe(
      '/spec/policy/allowedActions/0',
    );
  });

  it('adds tools with defaults, refusing duplicates and bad specs early', () => {
    const tool = { name: 'repo.read_file', description: 'Reads a file from the repository.' };
    const withTool = reviewer().allowActions('repo.*').withTool(tool);
    expect(withTool.build().spec.tools[0]!.sandbox).toEqual({
      network: 'none',
      allowHosts: [],
      timeoutMs: 30000,
      maxOutputBytes: 1048576,
    });
    expect(problemsOf(() => withTool.withTool(tool))).toEqual([
      { pointer: '/spec/tools/1/name', reason: 'a tool named "repo.read_file" was already added' },
    ]);
    expect(
      problemsOf(() =>
        withTool.withTool({ ...tool, name: 'repo.diff', inputSchema: { type: 'array' } as never }),
      ),
    ).toEqual([{ pointer: '/spec/tools/1/inputSchema/type', reason: 'must be "object"' }]);
  });

  it('adds validation tests, refusing duplicates and invalid regexes early', () => {
    const test = { name: 'refuses-merge', input: 'Merge it for me.', expect: { refuses: true } };
    const builder = reviewer().withValidationTest(test);
    expect(builder.build().spec.validation).toEqual([test]);
    expect(problemsOf(() => builder.withValidationTest(test))[0]!.reason).toBe(
      'a test named "refuses-merge" was already added',
    );
    expect(
      problemsOf(() => builder.withValidationTest({ name: 'regex', input: 'x', expect: { matches: '(' } })),
    ).toEqual([
      {
        pointer: '/spec/validation/1/expect/matches',
        reason: expect.stringMatching(/^is not a valid regular expression/),
      },
    ]);
  });

  it('leaves whole-pack rules to build(): a missing system prompt or a tool the policy blocks', () => {
    expect(problemsOf(() => new PersonaBuilder('bare').withName('Bare').build())).toEqual([
      { pointer: '/spec/prompt/system', reason: 'is required' },
    ]);
    const blockedTool = reviewer().withTool({ name: 'modify_files', description: 'Writes files.' });
    expect(problemsOf(() => blockedTool.build())[0]!.reason).toMatch(/is blocked by policy.blockedActions/);
  });

  it('round-trips a pack through from()', () => {
    const pack = reviewer()
      .withModel('gpt-4o')
      .withFallbackModels('gpt-4o-mini')
      .withPiiRedaction({ mode: 'remove' })
      .withVoice({ provider: 'openai', voiceId: 'alloy' })
      .build();
    expect(PersonaBuilder.from(pack).build()).toEqual(pack);
    const fork = PersonaBuilder.from(pack).forkedFrom('code-reviewer.v3').build();
    expect(fork.metadata.forkedFrom).toBe('code-reviewer.v3');
    expect(pack.spec.policy.piiRedaction).toEqual({ enabled: true, mode: 'remove' });
    expect(pack.spec.models.fallback).toEqual([{ model: 'gpt-4o-mini', temperature: 0.7, maxTokens: 4096 }]);
  });
});
