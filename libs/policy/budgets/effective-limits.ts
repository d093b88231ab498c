import type { Budget } from '@personae/pack';
import type { TenantLimits } from '../schema/policy-document.schema';
import type { BudgetLimits } from './budget-check';

/**
 * The limits a request is held to: the pack's own budget and the tenant's caps, the lower of the two
 * where both speak. The pack's `maxCostPerDay` is a per-persona daily limit.
 */
export function effectiveBudgetLimits(
  pack: Budget | undefined,
  tenant: TenantLimits['budgets'] | undefined,
): BudgetLimits {
  const lower = (a: number | undefined, b: number | undefined) =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b);
  const limits: BudgetLimits = {};
  const request = lower(pack?.maxCostPerRequest, tenant?.maxCostPerRequest);
  const personaDay = lower(pack?.maxCostPerDay, tenant?.maxCostPerPersonaPerDay);
  if (request !== undefined) limits.maxCostPerRequest = request;
  if (personaDay !== undefined) limits.maxCostPerPersonaPerDay = personaDay;
  if (tenant?.maxCostPerSession !== undefined) limits.maxCostPerSession = tenant.maxCostPerSession;
  if (tenant?.maxCostPerTenantPerDay !== undefined)
    limits.maxCostPerTenantPerDay = tenant.maxCostPerTenantPerDay;
  return limits;
}
