import { Type, type Static } from '@sinclair/typebox';
import { Closed, IDENTIFIER, List } from './common.schema';

function modelProfile(description: string) {
  return Closed(
    {
      model: Type.String({
        pattern: IDENTIFIER,
        maxLength: 200,
        description: 'Model id as the provider names it, e.g. `gpt-4o-mini` or `llama3.1:8b`.',
      }),
      temperature: Type.Number({
        minimum: 0,
        maximum: 2,
        default: 0.7,
        description: 'Sampling temperature.',
      }),
      maxTokens: Type.Integer({
        minimum: 1,
        maximum: 1000000,
        default: 4096,
        description: 'Upper bound on tokens generated per answer.',
      }),
    },
    { description },
  );
}

export const ModelProfileSchema = modelProfile('A model and its sampling settings.');

export const BudgetSchema = Closed(
  {
    maxCostPerRequest: Type.Optional(
      Type.Number({ minimum: 0, maximum: 10000, description: 'Most one request may cost, in USD.' }),
    ),
    maxCostPerDay: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1000000,
        description: 'Most the persona may spend per day, in USD.',
      }),
    ),
  },
  { default: {}, description: 'Spending limits; an absent limit means the tenant default applies.' },
);

export const ModelPreferencesSchema = Closed(
  {
    preSlm: Type.Optional(
      modelProfile('Small model run before the primary one, for routing, classification or redaction.'),
    ),
    primary: Type.Optional(modelProfile('The model that answers; absent means the deployment default.')),
    fallback: List(
      modelProfile('A fallback model.'),
      5,
      'Models tried in order when the primary fails or is over budget.',
    ),
    budget: BudgetSchema,
  },
  {
    default: {},
    description: 'Model preferences and budgets.',
  },
);

export type ModelProfile = Static<typeof ModelProfileSchema>;
export type Budget = Static<typeof BudgetSchema>;
export type ModelPreferences = Static<typeof ModelPreferencesSchema>;
