import { canonicalize } from '@personae/crypto';
import { patternCovers } from './rule-index';
import type { PolicyRule } from './schema/policy-document.schema';

export interface Contradiction {
  ruleIds: [string, string];
  reason: string;
}

/**
 * Rules that cannot both mean what they say: a permit and a forbid with the same match and conditions,
 * or a permit that an unconditional forbid of the same policy always overrides (it could never apply).
 */
export function findContradictions(rules: readonly PolicyRule[]): Contradiction[] {
  const found: Contradiction[] = [];
  const permits = rules.filter((rule) => rule.effect === 'permit');
  const forbids = rules.filter((rule) => rule.effect === 'forbid');
  for (const permit of permits) {
    const key = scopeKey(permit);
    for (const forbid of forbids) {
      if (scopeKey(forbid) === key) {
        found.push({
          ruleIds: [permit.id, forbid.id],
          reason: `"${permit.id}" permits and "${forbid.id}" forbids exactly the same requests`,
        });
      } else if (alwaysOverrides(forbid, permit)) {
        found.push({
          ruleIds: [permit.id, forbid.id],
          reason: `"${permit.id}" can never apply: "${forbid.id}" forbids every request it permits`,
        });
      }
    }
  }
  return found;
}

function scopeKey(rule: PolicyRule): string {
  return canonicalize(normalized({ match: rule.match, when: rule.when ?? {} }));
}

/** Arrays sorted (their order means nothing), so equal scopes compare equal. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized).sort((a, b) => (String(a) < String(b) ? -1 : 1));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalized(v)]));
  return value;
}

/** The forbid has no other condition than actions/tools, and its patterns cover all of the permit's. */
function alwaysOverrides(forbid: PolicyRule, permit: PolicyRule): boolean {
  const { actions, tools, ...rest } = forbid.match;
  if (Object.keys(rest).length > 0 || (forbid.when && Object.keys(forbid.when).length > 0)) return false;
  const covers = (outer: string[] | undefined, inner: string[] | undefined) =>
    outer === undefined ||
    (inner !== undefined && inner.every((i) => outer.some((o) => patternCovers(o, i))));
  // A tool-only forbid covers only tool requests; it cannot cover a permit on actions alone.
  if (tools && !permit.match.tools) return false;
  return covers(actions, permit.match.actions) && covers(tools, permit.match.tools);
}
