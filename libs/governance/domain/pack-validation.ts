import { checkPack, packDigest, type PersonaPack } from '@personae/pack';
import type { PolicyLayers, TenantLimits } from '@personae/policy';
import { budgetCapsCheck } from './budget-caps.check';
import { embeddedSecretsCheck } from './embedded-secrets.check';
import { injectionCheck } from './injection.check';
import { disclaimersCheck, safetyBoundariesCheck } from './regulated.check';
import { toolsAllowedCheck } from './tools-allowed.check';
import { checkResult, type PackCheckResult } from './validation-report';

export type StaticChecks =
  | { ok: true; pack: PersonaPack; digest: string; checks: PackCheckResult[] }
  | { ok: false; checks: PackCheckResult[] };

/** Every check that needs no model: schema first (nothing else is meaningful on an invalid pack). */
export function staticPackChecks(input: {
  pack: unknown;
  layers: Pick<PolicyLayers, 'constitution' | 'tenant'>;
  limits: TenantLimits | undefined;
  tenant: string;
}): StaticChecks {
  const parsed = checkPack(input.pack);
  if (!parsed.ok)
    return {
      ok: false,
      checks: [
        checkResult(
          'schema',
          parsed.problems.map((p) => ({ pointer: p.pointer, reason: p.reason })),
        ),
      ],
    };
  const pack = parsed.pack;
  return {
    ok: true,
    pack,
    digest: packDigest(pack),
    checks: [
      checkResult('schema', []),
      toolsAllowedCheck(pack, input.layers, input.limits, input.tenant),
      budgetCapsCheck(pack, input.limits),
      disclaimersCheck(pack),
      safetyBoundariesCheck(pack),
      embeddedSecretsCheck(pack),
      injectionCheck(pack),
    ],
  };
}
