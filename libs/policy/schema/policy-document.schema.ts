import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { CAPABILITIES, PII_TYPES } from '@personae/pack';

/** Limits: a policy is a small document; anything bigger is refused before it costs us. */
export const MAX_POLICY_RULES = 500;
export const MAX_POLICY_BYTES = 256 * 1024;

const RULE_ID = '^[a-z][a-z0-9_.-]{1,79}$';
/** Actions and tools: `web.search`, a trailing wildcard `web.*`, or `*` (the pack's action patterns). */
const ACTION_PATTERN = '^(\\*|[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*(\\.\\*)?)$';
/** Persona names: a slug, a trailing `*` wildcard (`legal-*`), or `*`. */
const NAME_PATTERN = '^(\\*|[a-z][a-z0-9_-]{0,62}\\*?)$';
const TAG = '^[a-z0-9][a-z0-9_-]{0,31}$';
const TENANT = '^[a-z0-9][a-z0-9-]{0,62}$';
const ROLES = ['admin', 'trainer', 'reviewer', 'signer', 'auditor', 'orchestrator'] as const;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const POLICY_EFFECTS = ['permit', 'forbid', 'require_approval'] as const;
export const MODES = ['dev', 'prod'] as const;

function oneOf<const T extends readonly string[]>(values: T, description: string) {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    { description },
  ) as unknown as TUnion<Array<TLiteral<T[number]>>>;
}

function list<T extends TSchema>(item: T, maxItems: number, description: string) {
  return Type.Optional(Type.Array(item, { minItems: 1, maxItems, uniqueItems: true, description }));
}

const Pattern = (pattern: string, description: string) =>
  Type.String({ pattern, maxLength: 128, description });

export const RuleMatchSchema = Type.Object(
  {
    actions: list(Pattern(ACTION_PATTERN, 'An action or a wildcard.'), 100, 'Actions the rule covers.'),
    tools: list(
      Pattern(ACTION_PATTERN, 'A tool name or a wildcard.'),
      100,
      'Tool calls the rule covers (only requests that call a tool).',
    ),
    persona: Type.Optional(
      Type.Object(
        {
          names: list(Pattern(NAME_PATTERN, 'A persona name or a `*` wildcard.'), 100, 'Persona names.'),
          versions: Type.Optional(
            Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 100, uniqueItems: true }),
          ),
          capabilities: list(oneOf(CAPABILITIES, 'A capability.'), 20, 'Any of these capabilities.'),
          tags: list(Pattern(TAG, 'A tag.'), 50, 'Any of these tags.'),
        },
        { additionalProperties: false, description: 'Which personas.' },
      ),
    ),
    principal: Type.Optional(
      Type.Object(
        {
          roles: list(oneOf(ROLES, 'A role.'), ROLES.length, 'Any of these caller roles.'),
          tenants: list(Pattern(TENANT, 'A tenant id.'), 100, 'Any of these tenants.'),
        },
        { additionalProperties: false, description: 'Which callers.' },
      ),
    ),
  },
  { additionalProperties: false, description: 'What the rule applies to; an empty match covers everything.' },
);

export const RuleWhenSchema = Type.Object(
  {
    modes: list(oneOf(MODES, 'dev or prod.'), 2, 'Only in these modes.'),
    costAbove: Type.Optional(
      Type.Number({ minimum: 0, description: 'Only when the cost so far is above this (USD).' }),
    ),
    costAtMost: Type.Optional(
      Type.Number({ minimum: 0, description: 'Only while the cost so far is at most this (USD).' }),
    ),
    piiFound: list(
      oneOf([...PII_TYPES, 'any'] as const, 'A kind of personal data, or `any`.'),
      PII_TYPES.length + 1,
      'Only when the input holds one of these kinds of personal data.',
    ),
    hoursUtc: Type.Optional(
      Type.Object(
        {
          from: Type.Integer({ minimum: 0, maximum: 23 }),
          to: Type.Integer({ minimum: 1, maximum: 24 }),
        },
        {
          additionalProperties: false,
          description: 'Only from `from` (inclusive) to `to` (exclusive), UTC.',
        },
      ),
    ),
    days: list(oneOf(DAYS, 'A weekday.'), 7, 'Only on these days (UTC).'),
    toolOutsideBundle: Type.Optional(
      Type.Boolean({
        description: 'Only for tool calls outside (true) or inside (false) the persona bundle.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Conditions on the request context.' },
);

export const PolicyRuleSchema = Type.Object(
  {
    id: Type.String({ pattern: RULE_ID, description: 'Rule id, unique within the policy.' }),
    effect: oneOf(POLICY_EFFECTS, 'permit, forbid or require_approval.'),
    match: RuleMatchSchema,
    when: Type.Optional(RuleWhenSchema),
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why: shown with every decision.' }),
  },
  { additionalProperties: false, description: 'One rule.' },
);

export const PolicyDocumentSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,62}$', description: 'Policy name.' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    rules: Type.Array(PolicyRuleSchema, { maxItems: MAX_POLICY_RULES, description: 'The rules.' }),
  },
  { additionalProperties: false, description: 'A policy document: rules as data.' },
);

export type PolicyEffect = (typeof POLICY_EFFECTS)[number];
export type Mode = (typeof MODES)[number];
export type Weekday = (typeof DAYS)[number];
export type RuleMatch = Static<typeof RuleMatchSchema>;
export type RuleWhen = Static<typeof RuleWhenSchema>;
export type PolicyRule = Static<typeof PolicyRuleSchema>;
export type PolicyDocument = Static<typeof PolicyDocumentSchema>;
export const WEEKDAYS = DAYS;
