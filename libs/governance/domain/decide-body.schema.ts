import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { CAPABILITIES, PII_REDACTION_MODES, PII_TYPES } from '@personae/pack';

/** Largest text scanned for personal data in one decision (a prompt or an answer). */
export const MAX_DECIDE_TEXT = 64 * 1024;

const ACTION = '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*$';
const ACTION_PATTERN = '^(\\*|[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*(\\.\\*)?)$';
const NAME = '^[a-z][a-z0-9_-]{1,62}$';
const REF = '^[a-z][a-z0-9_-]{1,62}(\\.v[1-9][0-9]{0,5}|@[a-z][a-z0-9-]{0,31})$';
const lit = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<Array<TLiteral<T[number]>>>;
const strings = (pattern: string, maxItems: number) =>
  Type.Optional(Type.Array(Type.String({ pattern, maxLength: 128 }), { maxItems }));

/** A persona described inline (what the runtime already holds), or by ref, resolved through the registry. */
export const PersonaDescriptorSchema = Type.Union([
  Type.Object(
    { ref: Type.String({ pattern: REF, description: 'name.vN or name@channel' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      name: Type.String({ pattern: NAME }),
      version: Type.Optional(Type.Integer({ minimum: 1 })),
      capabilities: Type.Optional(Type.Array(lit(CAPABILITIES), { maxItems: CAPABILITIES.length })),
      tags: strings('^[a-z0-9][a-z0-9_-]{0,31}$', 20),
      tools: strings(ACTION, 100),
      policy: Type.Optional(
        Type.Object(
          {
            allowedActions: strings(ACTION_PATTERN, 200),
            blockedActions: strings(ACTION_PATTERN, 200),
            escalation: Type.Optional(
              Type.Object(
                { channels: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 }) },
                { additionalProperties: false },
              ),
            ),
            piiRedaction: Type.Optional(
              Type.Object(
                {
                  enabled: Type.Optional(Type.Boolean()),
                  mode: Type.Optional(lit(PII_REDACTION_MODES)),
                  types: Type.Optional(Type.Array(lit(PII_TYPES), { maxItems: PII_TYPES.length })),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      ),
      budget: Type.Optional(
        Type.Object(
          {
            maxCostPerRequest: Type.Optional(Type.Number({ minimum: 0 })),
            maxCostPerDay: Type.Optional(Type.Number({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
]);

export const DecideBodySchema = Type.Object(
  {
    persona: PersonaDescriptorSchema,
    action: Type.String({ pattern: ACTION, maxLength: 128 }),
    tool: Type.Optional(Type.String({ pattern: ACTION, maxLength: 128 })),
    sessionId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' })),
    /** An approval opened by an earlier require_approval decision: approved, it allows this action once. */
    approvalId: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
    context: Type.Optional(
      Type.Object(
        {
          costSoFar: Type.Optional(Type.Number({ minimum: 0 })),
          mode: Type.Optional(lit(['dev', 'prod'] as const)),
          time: Type.Optional(
            Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})$', maxLength: 40 }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** The prompt or tool input: scanned for personal data (the decision sees the kinds found), returned redacted. */
    input: Type.Optional(Type.String({ maxLength: MAX_DECIDE_TEXT })),
    /** A model answer to redact before it leaves (kinds found are reported too). */
    output: Type.Optional(Type.String({ maxLength: MAX_DECIDE_TEXT })),
    /** The model call about to be made: its maximum cost is reserved against the budgets. */
    model: Type.Optional(
      Type.Object(
        {
          model: Type.String({ minLength: 1, maxLength: 200 }),
          inputTokens: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
          maxTokens: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const DryRunBodySchema = Type.Object(
  {
    /** A candidate tenant policy; absent means the tenant's active policy. */
    document: Type.Optional(Type.Unknown()),
    requests: Type.Array(Type.Omit(DecideBodySchema, ['model', 'output', 'approvalId']), {
      minItems: 1,
      maxItems: 100,
    }),
  },
  { additionalProperties: false },
);

export type PersonaDescriptor = Static<typeof PersonaDescriptorSchema>;
export type InlinePersona = Exclude<PersonaDescriptor, { ref: string }>;
export type DecideBody = Static<typeof DecideBodySchema>;
export type DryRunBody = Static<typeof DryRunBodySchema>;
