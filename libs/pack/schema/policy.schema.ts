import { Type, type Static } from '@sinclair/typebox';
import { ACTION_PATTERN, CHANNEL, Closed, Enum, List, POLICY_REF } from './common.schema';

export const PII_REDACTION_MODES = ['mask', 'pseudonymize', 'remove'] as const;
export const PII_TYPES = [
  'email',
  'phone',
  'person_name',
  'postal_address',
  'date_of_birth',
  'national_id',
  'passport',
  'credit_card',
  'bank_account',
  'ip_address',
  'health',
  'credentials',
] as const;
export const AUDIT_LEVELS = ['minimal', 'standard', 'full'] as const;

const ActionPattern = Type.String({
  pattern: ACTION_PATTERN,
  maxLength: 128,
  description: 'An action (`web.search`) or a trailing wildcard (`web.*`, `*`).',
});

export const PiiRedactionSchema = Closed(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'Redact personal data in inputs, outputs and logs.',
    }),
    mode: Enum(PII_REDACTION_MODES, {
      default: 'mask',
      description: 'mask (`***`), pseudonymize (stable placeholders), or remove.',
    }),
    types: Type.Optional(
      Type.Array(Enum(PII_TYPES, { description: 'A kind of personal data.' }), {
        minItems: 1,
        maxItems: PII_TYPES.length,
        uniqueItems: true,
        description: 'Kinds of personal data to redact; absent means all kinds.',
      }),
    ),
  },
  { default: {}, description: 'Personal data redaction, on by default.' },
);

export const AuditSchema = Closed(
  {
    level: Enum(AUDIT_LEVELS, {
      default: 'standard',
      description: 'minimal: decisions only; standard: plus tool calls; full: plus prompts and answers.',
    }),
  },
  { default: {}, description: 'What the audit ledger records for this persona.' },
);

export const EscalationSchema = Closed(
  {
    channels: List(
      Type.String({ pattern: CHANNEL, maxLength: 500, description: 'A channel URI.' }),
      10,
      'Where blocked actions and policy violations are escalated, e.g. `mailto:legal@example.com`.',
      true,
    ),
  },
  { default: {}, description: 'Escalation channels.' },
);

export const PolicyHooksSchema = Closed(
  {
    allowedActions: List(
      ActionPattern,
      200,
      'Actions the persona may take; empty means no allow-list beyond blockedActions.',
      true,
    ),
    blockedActions: List(ActionPattern, 200, 'Actions the persona must never take; blocking wins.', true),
    piiRedaction: PiiRedactionSchema,
    requiredApprovals: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 1,
      description: 'Distinct reviewer approvals needed before a version may be sealed.',
    }),
    audit: AuditSchema,
    escalation: EscalationSchema,
    governancePolicy: Type.Optional(
      Type.String({
        pattern: POLICY_REF,
        description: 'Governance policy applied on top of tenant rules, e.g. `regulated-advice.v2`.',
      }),
    ),
  },
  { default: {}, description: 'Policy hooks enforced by governance and the registry.' },
);

export type PiiRedactionMode = (typeof PII_REDACTION_MODES)[number];
export type PiiType = (typeof PII_TYPES)[number];
export type AuditLevel = (typeof AUDIT_LEVELS)[number];
export type PiiRedaction = Static<typeof PiiRedactionSchema>;
export type PolicyHooks = Static<typeof PolicyHooksSchema>;
