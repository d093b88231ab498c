import {
  packDigest,
  parsePack,
  regulatedCapabilityFindings,
  serializePack,
  type PersonaPack,
} from '@personae/pack';
import { FINANCIAL_DISCLAIMER, LEGAL_DISCLAIMER, TEMPLATES, TEMPLATE_IDS, createFromTemplate } from './index';

const build = (id: (typeof TEMPLATE_IDS)[number]): PersonaPack => TEMPLATES[id].builder().build();

describe('templates', () => {
  it('are the six the issue names', () => {
    expect(TEMPLATE_IDS).toEqual([
      'legal-analyst',
      'code-reviewer',
      'research-assistant',
      'content-writer',
      'data-analyst',
      'financial-advisor',
    ]);
  });

  describe.each(TEMPLATE_IDS)('%s', (id) => {
    const pack = build(id);

    it('validates, is named after its id, and survives a YAML round trip', () => {
      expect(pack.metadata.name).toBe(id);
      expect(parsePack(serializePack(pack))).toEqual(pack);
    });

    it('has a digest that is the same on every build', () => {
      expect(packDigest(build(id))).toBe(packDigest(pack));
      expect(packDigest(createFromTemplate(id))).toBe(packDigest(pack));
    });

    it('is a complete persona, not a stub', () => {
      const { metadata, spec } = pack;
      expect(metadata.description.length).toBeGreaterThan(80);
      expect(spec.prompt.system.split('\n\n').length).toBeGreaterThanOrEqual(4);
      expect(spec.prompt.system.length).toBeGreaterThan(1200);
      expect(spec.prompt.safetyBoundaries.length).toBeGreaterThanOrEqual(5);
      expect(spec.prompt.starterPrompts.length).toBeGreaterThanOrEqual(3);
      expect(spec.prompt.examples.length).toBeGreaterThanOrEqual(1);
      expect(spec.capabilities.length).toBeGreaterThanOrEqual(3);
      expect(spec.tools.length).toBeGreaterThanOrEqual(1);
      for (const tool of spec.tools)
        expect(Object.keys(tool.inputSchema.properties ?? {}).length).toBeGreaterThan(0);
      expect(spec.models.primary).toBeDefined();
      expect(spec.models.budget.maxCostPerRequest).toBeGreaterThan(0);
      expect(spec.models.budget.maxCostPerDay).toBeGreaterThan(0);
      expect(spec.policy.blockedActions).toContain('payments.*');
      expect(spec.validation.length).toBeGreaterThanOrEqual(3);
      expect(
        spec.validation.some((test) => test.expect.refuses === true || test.expect.matches !== undefined),
      ).toBe(true);
    });

    it('meets the regulated-capability checks governance may apply', () => {
      expect(regulatedCapabilityFindings(pack)).toEqual([]);
    });
  });

  it.each([
    ['legal-analyst', LEGAL_DISCLAIMER, 'not legal advice'],
    ['financial-advisor', FINANCIAL_DISCLAIMER, 'not financial advice'],
  ] as const)(
    '%s carries its disclaimer in the prompt, the boundaries and a validation test',
    (id, disclaimer, needle) => {
      const { spec } = build(id);
      expect(spec.prompt.system).toContain(disclaimer);
      expect(spec.prompt.safetyBoundaries.some((rule) => rule.includes(disclaimer))).toBe(true);
      expect(spec.prompt.examples.some((example) => example.output.includes(disclaimer))).toBe(true);
      expect(spec.validation.some((test) => test.expect.contains?.includes(needle))).toBe(true);
      expect(disclaimer.toLowerCase()).toContain(needle);
      expect(spec.capabilities).toContain(id === 'legal-analyst' ? 'legal' : 'financial');
      expect(spec.policy.requiredApprovals).toBe(2);
    },
  );

  it('the financial advisor cannot move money', () => {
    const { spec } = build('financial-advisor');
    expect(spec.policy.blockedActions).toEqual(
      expect.arrayContaining(['payments.*', 'trading.*', 'banking.*']),
    );
    expect(spec.validation.find((test) => test.name === 'refuses-to-trade')?.expect.refuses).toBe(true);
  });

  describe('createFromTemplate', () => {
    it('merges overrides into the template and validates the result', () => {
      const pack = createFromTemplate('code-reviewer', {
        metadata: { name: 'acme-reviewer', tags: ['acme'] },
        spec: {
          models: { budget: { maxCostPerDay: 5 } },
          style: { humor: undefined },
          personality: { openness: 0.1 },
        },
      });
      expect(pack.metadata.name).toBe('acme-reviewer');
      expect(pack.metadata.displayName).toBe('Code Reviewer');
      expect(pack.metadata.tags).toEqual(['acme']);
      expect(pack.spec.models.budget).toEqual({ maxCostPerRequest: 0.5, maxCostPerDay: 5 });
      expect(pack.spec.personality.openness).toBe(0.1);
      expect(pack.spec.style.humor).toBe(0.1); // an undefined override keeps the template's value
      expect(pack.spec.tools.length).toBe(3);
    });

    it('refuses overrides that make the pack invalid, naming the field', () => {
      expect(() =>
        createFromTemplate('financial-advisor', { spec: { models: { budget: { maxCostPerDay: 0.1 } } } }),
      ).toThrow('/spec/models/budget/maxCostPerRequest: must be ≤ maxCostPerDay (0.1)');
      expect(() => createFromTemplate('nope' as never)).toThrow('unknown template "nope"');
    });

    it('continues fluently from a template builder', () => {
      const pack = TEMPLATES['data-analyst'].builder().withTags('finance-team').withMaxCost(0.2, 2).build();
      expect(pack.metadata.tags).toEqual(['finance-team']);
      expect(pack.spec.models.budget).toEqual({ maxCostPerRequest: 0.2, maxCostPerDay: 2 });
    });
  });
});
