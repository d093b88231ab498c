import { Type, type TSchema } from '@sinclair/typebox';
import {
  ModelPreferencesSchema,
  PackValidationError,
  PersonalitySchema,
  PolicyHooksSchema,
  ResponseStyleSchema,
  actionPatternCovers,
  validateFragment,
  type ModelProfile,
} from '@personae/pack';
import type { Draft, ModelInput } from './builder-draft';

// Partial schemas let a builder method set some fields; `given` keeps their defaults from leaking in.
export const PartialPersonality = Type.Partial(PersonalitySchema);
export const PartialStyle = Type.Partial(ResponseStyleSchema);
export const PartialPiiRedaction = Type.Partial(PolicyHooksSchema.properties.piiRedaction);
const ActionList = Type.Array(PolicyHooksSchema.properties.allowedActions.items, { maxItems: 200 });

export function check<T extends TSchema>(schema: T, value: unknown, pointer: string) {
  return validateFragment(schema, value, pointer);
}

/** Keeps only the fields the caller passed, so defaults of a partial schema do not overwrite earlier calls. */
export function given<T extends object>(checked: T, input: object): Partial<T> {
  return Object.fromEntries(
    Object.entries(checked).filter(([key]) => Object.hasOwn(input, key)),
  ) as Partial<T>;
}

export function modelProfile(model: ModelInput, pointer: string): ModelProfile {
  return check(
    ModelPreferencesSchema.properties.fallback.items,
    typeof model === 'string' ? { model } : model,
    pointer,
  );
}

export function assertRegex(source: string, pointer: string): void {
  try {
    new RegExp(source, 'i');
  } catch (error) {
    throw PackValidationError.single(
      pointer,
      `is not a valid regular expression: ${(error as Error).message}`,
    );
  }
}

/** The action lists after adding `actions` to `field`; refuses anything both allowed and blocked. */
export function mergeActions(
  policy: Draft['policy'],
  field: 'allowedActions' | 'blockedActions',
  actions: string[],
  pointer: string,
): string[] {
  const merged = [...new Set([...policy[field], ...check(ActionList, actions, pointer)])];
  const allowed = field === 'allowedActions' ? merged : policy.allowedActions;
  const blocked = field === 'blockedActions' ? merged : policy.blockedActions;
  for (const action of allowed) {
    const blocker = blocked.find((pattern) => actionPatternCovers(pattern, action));
    if (blocker !== undefined)
      throw PackValidationError.single(
        pointer,
        `"${action}" would be both allowed and blocked (by "${blocker}"); an action cannot be both`,
      );
  }
  return merged;
}
