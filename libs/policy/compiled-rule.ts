import type { DecisionRequest, Layer } from './decision';
import { nameMatches, patternMatches } from './rule-index';
import { WEEKDAYS, type PolicyEffect, type PolicyRule } from './schema/policy-document.schema';

/** A rule ready for the hot path: its qualified id and one predicate built from its match and when. */
export interface CompiledRule {
  /** `<layer>:<id>` */
  qualifiedId: string;
  id: string;
  effect: PolicyEffect;
  reason: string;
  layer: Layer;
  /** Position in its policy, to report rules in document order. */
  order: number;
  source: PolicyRule;
  matches(request: DecisionRequest): boolean;
}

type Check = (request: DecisionRequest) => boolean;

/**
 * Builds the rule's predicate once: every condition becomes a closure over precomputed Sets, and absent
 * conditions cost nothing. Action patterns are checked again here (the index may return a rule
 * through another of its patterns, e.g. a rule on `actions` and `tools`).
 */
export function compileRule(rule: PolicyRule, layer: Layer, order: number): CompiledRule {
  const checks: Check[] = [];
  const { match, when } = rule;
  if (match.actions) {
    const patterns = match.actions;
    checks.push((r) => patterns.some((p) => patternMatches(p, r.action)));
  }
  if (match.tools) {
    const patterns = match.tools;
    checks.push((r) => r.tool !== undefined && patterns.some((p) => patternMatches(p, r.tool!)));
  }
  const persona = match.persona;
  if (persona?.names) {
    const names = persona.names;
    checks.push((r) => names.some((p) => nameMatches(p, r.persona.name)));
  }
  if (persona?.versions) {
    const versions = new Set(persona.versions);
    checks.push((r) => r.persona.version !== undefined && versions.has(r.persona.version));
  }
  if (persona?.capabilities) {
    const wanted = new Set<string>(persona.capabilities);
    checks.push((r) => r.persona.capabilities.some((c) => wanted.has(c)));
  }
  if (persona?.tags) {
    const wanted = new Set(persona.tags);
    checks.push((r) => r.persona.tags.some((t) => wanted.has(t)));
  }
  if (match.principal?.roles) {
    const roles = new Set<string>(match.principal.roles);
    checks.push((r) => roles.has(r.principal.role));
  }
  if (match.principal?.tenants) {
    const tenants = new Set(match.principal.tenants);
    checks.push((r) => tenants.has(r.principal.tenant));
  }
  if (when) checks.push(...whenChecks(when));
  const matches: Check =
    checks.length === 0
      ? () => true
      : (request) => {
          for (const check of checks) if (!check(request)) return false;
          return true;
        };
  return {
    qualifiedId: `${layer}:${rule.id}`,
    id: rule.id,
    effect: rule.effect,
    reason: rule.reason,
    layer,
    order,
    source: rule,
    matches,
  };
}

function whenChecks(when: NonNullable<PolicyRule['when']>): Check[] {
  const checks: Check[] = [];
  if (when.modes) {
    const modes = new Set<string>(when.modes);
    checks.push((r) => modes.has(r.context.mode));
  }
  if (when.costAbove !== undefined) {
    const above = when.costAbove;
    checks.push((r) => (r.context.costSoFar ?? 0) > above);
  }
  if (when.costAtMost !== undefined) {
    const atMost = when.costAtMost;
    checks.push((r) => (r.context.costSoFar ?? 0) <= atMost);
  }
  if (when.piiFound) {
    const kinds = new Set<string>(when.piiFound);
    const any = kinds.has('any');
    checks.push((r) => {
      const found = r.context.piiFound ?? [];
      return any ? found.length > 0 : found.some((kind) => kinds.has(kind));
    });
  }
  if (when.hoursUtc) {
    const { from, to } = when.hoursUtc;
    // from > to wraps midnight: 22 → 6 covers the night.
    checks.push((r) => {
      const hour = r.context.time.getUTCHours();
      return from < to ? hour >= from && hour < to : hour >= from || hour < to;
    });
  }
  if (when.days) {
    const days = new Set<string>(when.days);
    checks.push((r) => days.has(WEEKDAYS[(r.context.time.getUTCDay() + 6) % 7]!));
  }
  if (when.toolOutsideBundle !== undefined) {
    const outside = when.toolOutsideBundle;
    checks.push((r) => {
      if (r.tool === undefined) return false;
      // Without a declared bundle nothing is known to be outside it.
      const bundle = r.persona.tools;
      if (bundle === undefined) return !outside;
      return bundle.includes(r.tool) !== outside;
    });
  }
  return checks;
}
