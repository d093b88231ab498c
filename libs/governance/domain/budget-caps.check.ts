import type { PersonaPack } from '@personae/pack';
import type { TenantLimits } from '@personae/policy';
import { checkResult, type CheckFinding, type PackCheckResult } from './validation-report';

/** The pack's own budget may not promise more than the tenant's caps allow. */
export function budgetCapsCheck(pack: PersonaPack, limits: TenantLimits | undefined): PackCheckResult {
  const findings: CheckFinding[] = [];
  const budget = pack.spec.models.budget;
  const caps = limits?.budgets;
  const over = (value: number | undefined, cap: number | undefined, pointer: string, what: string) => {
    if (value !== undefined && cap !== undefined && value > cap)
      findings.push({ pointer, reason: `${value} USD is above the tenant's cap of ${cap} USD ${what}` });
  };
  over(
    budget.maxCostPerRequest,
    caps?.maxCostPerRequest,
    '/spec/models/budget/maxCostPerRequest',
    'per request',
  );
  over(
    budget.maxCostPerDay,
    caps?.maxCostPerPersonaPerDay,
    '/spec/models/budget/maxCostPerDay',
    'per persona per day',
  );
  over(
    budget.maxCostPerDay,
    caps?.maxCostPerTenantPerDay,
    '/spec/models/budget/maxCostPerDay',
    'per tenant per day',
  );
  return checkResult('budgets-within-caps', findings);
}
