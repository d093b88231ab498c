import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import type { PiiType } from '@personae/pack';
import { redactPii } from '@personae/pii';
import type { ReceiptDecision } from '../domain/compliance-receipt';
import type { RuntimeMode } from '../domain/runtime-mode';
import type { VerifiedPersona } from '../personas/verified-persona';
import { PolicyDecisions } from './policy-decisions';
import { Pseudonyms } from './pseudonyms';

export interface InputVerdict {
  /** The input as the model and the memory will see it (redacted when the pack asks). */
  text: string;
  piiFound: PiiType[];
  decisions: ReceiptDecision[];
  denied?: { step: string; reasons: string[] };
}

/**
 * Redaction (the pack's piiRedaction, with `@personae/pii`), then the action check (`@personae/policy`,
 * told which kinds of personal data were found). The budget pre-check is BudgetStep's.
 */
@Injectable()
export class InputGovernance {
  constructor(
    private readonly policy: PolicyDecisions,
    private readonly pseudonyms: Pseudonyms,
  ) {}

  check(input: {
    persona: VerifiedPersona;
    principal: Principal;
    action: string;
    input: string;
    mode: RuntimeMode;
    costSoFar: number;
    pseudonymScope: string;
  }): InputVerdict {
    const decisions: ReceiptDecision[] = [];
    const redaction = input.persona.pack.spec.policy.piiRedaction;
    let text = input.input;
    let piiFound: PiiType[] = [];
    if (redaction.enabled) {
      const redacted = redactPii(text, {
        mode: redaction.mode,
        ...(redaction.types ? { types: redaction.types } : {}),
        ...(redaction.mode === 'pseudonymize'
          ? { pseudonyms: this.pseudonyms.table(input.pseudonymScope) }
          : {}),
      });
      text = redacted.text;
      piiFound = [...new Set(redacted.findings.map((f) => f.type))];
      if (redacted.findings.length > 0)
        decisions.push({
          step: 'input-redaction',
          effect: 'redacted',
          ruleIds: [],
          reasons: [
            `${redacted.findings.length} item(s) of personal data (${piiFound.join(', ')}) ${redaction.mode === 'remove' ? 'removed' : redaction.mode === 'mask' ? 'masked' : 'pseudonymized'}`,
          ],
        });
    }
    const decision = this.policy.decide(input.persona, input.principal, input.action, {
      mode: input.mode,
      costSoFar: input.costSoFar,
      piiFound,
    });
    decisions.push(decision);
    if (decision.effect !== 'allow')
      return {
        text,
        piiFound,
        decisions,
        denied: {
          step: 'action',
          reasons:
            decision.effect === 'require_approval'
              ? [`approval required: ${decision.reasons.join('; ')}`]
              : decision.reasons,
        },
      };
    return { text, piiFound, decisions };
  }
}
