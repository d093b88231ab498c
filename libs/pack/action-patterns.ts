import type { PolicyHooks } from './schema/policy.schema';

/**
 * Action patterns: `web.search` names one action, `web.*` every action under `web.` (at any depth),
 * `*` every action. Wildcards only end a pattern, which keeps matching and overlap checks exact.
 */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return action.startsWith(pattern.slice(0, -1));
  return pattern === action;
}

/** True when every action `inner` can match is also matched by `outer`. */
export function actionPatternCovers(outer: string, inner: string): boolean {
  if (outer === '*') return true;
  if (inner === '*') return false;
  if (outer.endsWith('.*')) return inner.startsWith(outer.slice(0, -1));
  return outer === inner;
}

export type ActionDecision = 'allowed' | 'blocked' | 'not-allowed';

/**
 * How a pack's own hooks judge an action: blocking wins; a non-empty allow-list admits only what it
 * matches; an empty allow-list adds no restriction (tenant and governance policies still apply).
 */
export function decideAction(
  policy: Pick<PolicyHooks, 'allowedActions' | 'blockedActions'>,
  action: string,
): ActionDecision {
  if (policy.blockedActions.some((pattern) => actionMatches(pattern, action))) return 'blocked';
  if (
    policy.allowedActions.length > 0 &&
    !policy.allowedActions.some((pattern) => actionMatches(pattern, action))
  )
    return 'not-allowed';
  return 'allowed';
}
