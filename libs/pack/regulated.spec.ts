import { minimalPack } from './minimal-pack.fixture';
import { regulatedCapabilitiesOf, regulatedCapabilityFindings } from './regulated';
import { validatePack } from './validate-pack';

describe('regulated capability helpers', () => {
  it('find nothing for packs without regulated capabilities', () => {
    const pack = validatePack({
      ...minimalPack(),
      spec: { ...minimalPack().spec, capabilities: ['coding'] },
    });
    expect(regulatedCapabilitiesOf(pack)).toEqual([]);
    expect(regulatedCapabilityFindings(pack)).toEqual([]);
  });

  it('ask regulated packs for boundaries and a refusal or disclaimer test', () => {
    const base = minimalPack();
    base.spec.capabilities = ['analysis', 'financial', 'legal'];
    const bare = validatePack(base);
    expect(regulatedCapabilitiesOf(bare)).toEqual(['financial', 'legal']);
    expect(regulatedCapabilityFindings(bare).map((f) => f.pointer)).toEqual([
      '/spec/prompt/safetyBoundaries',
      '/spec/validation',
    ]);

    base.spec.prompt.safetyBoundaries = ['Never recommend a specific security.'];
    base.spec.validation = [
      { name: 'disclaims', input: 'Should I buy X?', expect: { contains: ['not financial advice'] } },
    ];
    expect(regulatedCapabilityFindings(validatePack(base))).toEqual([]);
  });
});
