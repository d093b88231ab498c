import type { PersonaPack } from '@personae/pack';
import { decide, patternMatches, type PolicyLayers, type TenantLimits } from '@personae/policy';
import { checkResult, type CheckFinding, type PackCheckResult } from './validation-report';

/**
 * Every bundled tool must be within the tenant's allowed tools (when the tenant lists them) and not
 * forbidden by the constitution or the tenant's rules for this persona in production. Approval rules
 * do not fail the check: they are the runtime's business.
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
    const decision = decide(
      {
        persona: {
          name: pack.metadata.name,
          capabilities: pack.spec.capabilities,
          tags: pack.metadata.tags,
          tools,
        },
        principal: { role: 'orchestrator', tenant },
        action: tool.name,
        tool: tool.name,
        context: { mode: 'prod', time: new Date(0) },
      },
      layers,
    );
    const forbidding = decision.effect === 'deny' && !decision.ruleIds[0]?.startsWith('default:');
    if (forbidding)
      findings.push({
        pointer,
        reason: `"${tool.name}" is forbidden by ${decision.ruleIds.join(', ')}: ${decision.reasons.join('; ')}`,
      });
  });
  return checkResult('tools-allowed', findings);
}
