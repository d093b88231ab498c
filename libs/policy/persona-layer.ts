import type { PolicyHooks } from '@personae/pack';
import { compilePolicyOrThrow } from './compile-policy';
import type { CompiledPolicy } from './compiled-policy';
import type { PolicyDocument, PolicyRule } from './schema/policy-document.schema';

/**
 * A pack's policy hooks as the lowest layer: each `allowedActions` pattern permits its actions (and the
 * tools of that name), each `blockedActions` pattern forbids them. Rule ids name the pattern, so a
 * decision says which hook decided. `version` labels the layer, e.g. `biology_researcher.v3`.
 */
export function personaLayer(
  hooks: Pick<PolicyHooks, 'allowedActions' | 'blockedActions'>,
  version = 'persona',
): CompiledPolicy {
  return compilePolicyOrThrow(personaPolicyDocument(hooks), { layer: 'persona', version });
}

export function personaPolicyDocument(
  hooks: Pick<PolicyHooks, 'allowedActions' | 'blockedActions'>,
): PolicyDocument {
  const blocked = new Set(hooks.blockedActions);
  const rules: PolicyRule[] = [
    ...hooks.blockedActions.map((pattern): PolicyRule => ({
      id: `blocked.${ruleSuffix(pattern)}`,
      effect: 'forbid',
      match: { actions: [pattern] },
      reason: `the persona blocks "${pattern}"`,
    })),
    // A pattern both allowed and blocked is blocked: the pack schema says blocking wins.
    ...hooks.allowedActions
      .filter((pattern) => !blocked.has(pattern))
      .map((pattern): PolicyRule => ({
        id: `allowed.${ruleSuffix(pattern)}`,
        effect: 'permit',
        match: { actions: [pattern] },
        reason: `the persona allows "${pattern}"`,
      })),
  ];
  return { name: 'persona-hooks', rules: dropShadowedPermits(rules) };
}

/** `*` → `all`, `web.*` → `web.all`: rule ids stay within the id pattern. */
function ruleSuffix(pattern: string): string {
  return pattern === '*' ? 'all' : pattern.replace(/\*$/, 'all');
}

/** Packs may allow `web.search` and block `web.*`; blocking wins, so the permit is simply not compiled. */
function dropShadowedPermits(rules: PolicyRule[]): PolicyRule[] {
  const blocked = rules.filter((r) => r.effect === 'forbid').flatMap((r) => r.match.actions ?? []);
  return rules.filter(
    (rule) =>
      rule.effect !== 'permit' ||
      !(rule.match.actions ?? []).every((action) =>
        blocked.some(
          (b) => b === '*' || (b.endsWith('.*') ? action.startsWith(b.slice(0, -1)) : b === action),
        ),
      ),
  );
}
