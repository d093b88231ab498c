import type { CompiledPolicy } from './compiled-policy';
import type { CompiledRule } from './compiled-rule';
import {
  DEFAULT_ALLOW_ACTIONS,
  DEFAULT_DENY_TOOLS,
  type Decision,
  type DecisionEffect,
  type DecisionRequest,
  type Layer,
} from './decision';

/** The layers of one decision, highest precedence first. Only the constitution is mandatory. */
export interface PolicyLayers {
  constitution: CompiledPolicy;
  tenant?: CompiledPolicy;
  persona?: CompiledPolicy;
}

const ORDER: readonly Layer[] = ['constitution', 'tenant', 'persona'];

/**
 * Decides one request against the layers. Precedence is by restriction: a lower layer can only narrow
 * what a higher one allows, never widen it, so
 *   1. any matching `forbid`, in any layer, denies (a tenant cannot permit what the constitution forbids);
 *   2. otherwise any matching `require_approval` requires approval (a permit cannot waive it);
 *   3. otherwise any matching `permit` allows;
 *   4. otherwise tool calls are denied (default deny) and other actions allowed.
 * The decision names every rule that decided it, each qualified by its layer.
 */
export function decide(request: DecisionRequest, layers: PolicyLayers): Decision {
  const forbids: CompiledRule[] = [];
  const approvals: CompiledRule[] = [];
  const permits: CompiledRule[] = [];
  const policyVersions: Decision['policyVersions'] = {};
  let constitutionEffect: DecisionEffect | undefined;
  for (const layer of ORDER) {
    const policy = layers[layer];
    if (!policy) continue;
    policyVersions[layer] = policy.version;
    for (const rule of policy.matching(request)) {
      if (rule.effect === 'forbid') forbids.push(rule);
      else if (rule.effect === 'require_approval') approvals.push(rule);
      else permits.push(rule);
    }
    if (layer === 'constitution') constitutionEffect = effectOf(forbids, approvals, permits, request);
  }
  const effect = effectOf(forbids, approvals, permits, request);
  const deciding = effect === 'deny' ? forbids : effect === 'require_approval' ? approvals : permits;
  if (deciding.length === 0) {
    const tool = request.tool !== undefined;
    return {
      effect,
      ruleIds: [tool ? DEFAULT_DENY_TOOLS : DEFAULT_ALLOW_ACTIONS],
      reasons: [
        tool
          ? `no rule permits the tool "${request.tool}": tools are denied by default`
          : `no rule restricts the action "${request.action}"`,
      ],
      policyVersions,
      override: effect !== constitutionEffect,
    };
  }
  return {
    effect,
    ruleIds: deciding.map((rule) => rule.qualifiedId),
    reasons: deciding.map((rule) => rule.reason),
    policyVersions,
    override: effect !== constitutionEffect,
  };
}

function effectOf(
  forbids: readonly CompiledRule[],
  approvals: readonly CompiledRule[],
  permits: readonly CompiledRule[],
  request: DecisionRequest,
): DecisionEffect {
  if (forbids.length > 0) return 'deny';
  if (approvals.length > 0) return 'require_approval';
  if (permits.length > 0) return 'allow';
  return request.tool !== undefined ? 'deny' : 'allow';
}
