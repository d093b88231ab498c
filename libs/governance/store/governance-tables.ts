import { TenantScopedRepository, type TenantContext, type TenantView } from '@personae/auth';
import type { EntityManager } from 'typeorm';
import { ApprovalEntity } from './approval.entity';
import { ActivePolicyEntity, PolicyVersionEntity } from './policy-version.entity';

export const GOVERNANCE_SCHEMA = 'governance';
export const GOVERNANCE_ENTITIES = [PolicyVersionEntity, ActivePolicyEntity, ApprovalEntity];
export const BUDGET_COUNTERS_TABLE = 'governance.budget_counters';

export interface GovernanceTables {
  policyVersions: TenantView<PolicyVersionEntity>;
  activePolicies: TenantView<ActivePolicyEntity>;
  approvals: TenantView<ApprovalEntity>;
}

/** The governance tables as one tenant sees them: no query can forget the tenant filter. */
export function governanceTables(manager: EntityManager, tenant: TenantContext): GovernanceTables {
  const view = <T extends { tenantId: string }>(entity: new () => T): TenantView<T> =>
    new TenantScopedRepository<T>(manager.getRepository(entity)).for(tenant);
  return {
    policyVersions: view(PolicyVersionEntity),
    activePolicies: view(ActivePolicyEntity),
    approvals: view(ApprovalEntity),
  };
}
