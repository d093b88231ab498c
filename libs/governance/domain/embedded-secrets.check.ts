import type { PersonaPack, PiiType } from '@personae/pack';
import { detectPii } from '@personae/pii';
import { promptTexts } from './pack-texts';
import { checkResult, type CheckFinding, type PackCheckResult } from './validation-report';

/**
 * Kinds of personal data that have no business in a prompt or an example. Names, addresses, dates and
 * health terms are left out: a medical persona's prompt talks about health, and examples name people.
 */
const EMBEDDED_KINDS: PiiType[] = [
  'email',
  'phone',
  'national_id',
  'passport',
  'credit_card',
  'bank_account',
  'ip_address',
  'credentials',
];

/** No secrets or personal data baked into prompts, examples or tool descriptions (never the matched text). */
export function embeddedSecretsCheck(pack: PersonaPack): PackCheckResult {
  const findings: CheckFinding[] = [];
  for (const { pointer, text } of promptTexts(pack))
    for (const finding of detectPii(text, { types: EMBEDDED_KINDS }))
      findings.push({
        pointer,
        reason: `holds ${finding.type} (${finding.subtype}) at characters ${finding.start}–${finding.end}`,
      });
  return checkResult('no-embedded-secrets-or-pii', findings);
}
