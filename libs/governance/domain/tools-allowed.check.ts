import type { PersonaPack } from '@personae/pack';
import {
  patternMatches,
  type CompiledRule,
  type DecisionRequest,
  type PolicyLayers,
  type TenantLimits,
} from '@personae/policy';
import { checkResult, type CheckFinding, type PackCheckResult } from './validation-report';

/** `when` conditions that hold for every production call; rules with any other condition may not apply. */
const ALWAYS_IN_PROD = new Set(['modes', 'toolOutsideBundle']);

/**
 * Every bundled tool must be within the tenant's allowed tools (when the tenant lists them) and not
 * forbidden outright, in production, by the constitution or the tenant's rules. Forbids that depend on
 * the moment (hours, days, cost, personal data in the input) and approval rules are the runtime's
 * business: they do not make a pack unsealable.
 */
export function toolsAllowedCheck(
  pack: PersonaPack,
  layers: Pick<PolicyLayers, 'constitution' | 'tenant'>,
  limits: TenantLimits | undefined,
  tenant: string,
): PackCheckResult {
  const findings: CheckFinding[] = [];
  const tools = pack.spec.tools.map((tool) => tool.name);
  pack.spec.tools.forEach((tool, index) => {
    const pointer = `/spec/tools/${index}/name`;
    const allowed = limits?.allowedTools;
    if (allowed && !allowed.some((pattern) => patternMatches(pattern, tool.name)))
      findings.push({ pointer, reason: `"${tool.name}" is not among the tenant's allowed tools` });
    const request: DecisionRequest = {
      persona: {
        name: pack.metadata.name,
        capabilities: pack.spec.capabilities,
        tags: pack.metadata.tags,
        tools,
      },
      principal: { role: 'orchestrator', tenant },
      action: tool.name,
      tool: tool.name,
      context: { mode: 'prod', time: new Date() },
    };
    const forbidding = [layers.constitution, layers.tenant]
      .flatMap((policy) => policy?.matching(request) ?? [])
      .filter((rule) => rule.effect === 'forbid' && alwaysApplies(rule));
    if (forbidding.length > 0)
      findings.push({
        pointer,
        reason: `"${tool.name}" is forbidden by ${forbidding.map((r) => r.qualifiedId).join(', ')}: ${forbidding.map((r) => r.reason).join('; ')}`,
      });
  });
  return checkResult('tools-allowed', findings);
}

function alwaysApplies(rule: CompiledRule): boolean {
  return Object.keys(rule.source.when ?? {}).every((condition) => ALWAYS_IN_PROD.has(condition));
}
