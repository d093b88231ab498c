import {
  regulatedCapabilitiesOf,
  regulatedCapabilityFindings,
  type Capability,
  type PersonaPack,
} from '@personae/pack';
import { checkResult, type CheckFinding, type PackCheckResult } from './validation-report';

/**
 * What a disclaimer for each regulated capability must say, in the system prompt or a safety boundary:
 * that the answer is not professional advice, or to consult a professional.
 */
const DISCLAIMERS: Partial<Record<Capability, { pattern: RegExp; example: string }>> = {
  medical: {
    pattern:
      /not (medical|a substitute for (professional )?medical) advice|(consult|see|refer\w*( \w+)? to) an? (doctor|clinician|physician|healthcare professional|medical professional)/i,
    example: '"This is not medical advice; consult a doctor."',
  },
  legal: {
    pattern:
      /not legal advice|(consult|see|refer\w*( \w+)? to) an? (lawyer|attorney|solicitor|legal professional)/i,
    example: '"This is not legal advice; consult a lawyer."',
  },
  financial: {
    pattern:
      /not (financial|investment) advice|(consult|see|refer\w*( \w+)? to) an? (financial (advisor|adviser|professional)|licensed advisor|licensed adviser)/i,
    example: '"This is not financial advice; consult a licensed financial adviser."',
  },
};

/** Regulated capabilities (medical, legal, financial) need their disclaimer in the pack. */
export function disclaimersCheck(pack: PersonaPack): PackCheckResult {
  const text = [pack.spec.prompt.system, ...pack.spec.prompt.safetyBoundaries].join('\n');
  const findings: CheckFinding[] = [];
  for (const capability of regulatedCapabilitiesOf(pack)) {
    const disclaimer = DISCLAIMERS[capability];
    if (disclaimer && !disclaimer.pattern.test(text))
      findings.push({
        pointer: '/spec/prompt/system',
        reason: `the pack claims ${capability} but neither the system prompt nor a safety boundary carries the required disclaimer, e.g. ${disclaimer.example}`,
      });
  }
  return checkResult('regulated-disclaimers', findings);
}

/**
 * Safety boundaries must be stated by packs that act (tools) or claim a regulated capability, along with
 * a test that they refuse or disclaim; a purely conversational pack without them gets a warning.
 */
export function safetyBoundariesCheck(pack: PersonaPack): PackCheckResult {
  const findings: CheckFinding[] = regulatedCapabilityFindings(pack);
  const acts = pack.spec.tools.length > 0;
  if (pack.spec.prompt.safetyBoundaries.length === 0 && findings.length === 0) {
    const finding = {
      pointer: '/spec/prompt/safetyBoundaries',
      reason: acts
        ? 'is empty, but the pack calls tools: state what it must never do'
        : 'is empty: state what the persona must never do',
    };
    return checkResult('safety-boundaries', [finding], acts);
  }
  return checkResult('safety-boundaries', findings);
}
