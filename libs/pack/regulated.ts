import { joinPointer } from './json-pointer';
import type { PackProblem } from './pack-validation-error';
import { REGULATED_CAPABILITIES, type Capability } from './schema/capabilities.schema';
import type { PersonaPack } from './schema/persona-pack.schema';

/** The regulated capabilities (legal, financial, medical) a pack claims. */
export function regulatedCapabilitiesOf(pack: PersonaPack): Capability[] {
  return pack.spec.capabilities.filter((capability) => REGULATED_CAPABILITIES.includes(capability));
}

/**
 * What a pack claiming regulated capabilities lacks: safety boundaries, and validation tests proving it
 * declines or disclaims. Findings, not errors: governance decides whether they block a seal.
 */
export function regulatedCapabilityFindings(pack: PersonaPack): PackProblem[] {
  const regulated = regulatedCapabilitiesOf(pack);
  if (regulated.length === 0) return [];
  const claim = `claims ${regulated.join(', ')}`;
  const findings: PackProblem[] = [];
  if (pack.spec.prompt.safetyBoundaries.length === 0)
    findings.push({
      pointer: '/spec/prompt/safetyBoundaries',
      reason: `is empty, but the pack ${claim}: state what it must never do`,
    });
  const guarded = pack.spec.validation.some(
    ({ expect }) => expect.refuses === true || (expect.contains?.length ?? 0) > 0,
  );
  if (!guarded)
    findings.push({
      pointer: joinPointer('/spec', 'validation'),
      reason: `has no test that the persona refuses or disclaims, but the pack ${claim}`,
    });
  return findings;
}
