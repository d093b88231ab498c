import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import { budgetKey, effectiveBudgetLimits, fromMicros } from '@personae/policy';
import type { DataSource } from 'typeorm';
import { BudgetStore } from '../adapters/budget-store';
import type { ApprovalState } from '../domain/approval';
import type { ApprovalEntity } from '../store/approval.entity';
import { governanceTables, GOVERNANCE_SCHEMA } from '../store/governance-tables';
import type { PolicyVersionEntity } from '../store/policy-version.entity';
import { TenantPolicies } from '../store/tenant-policies';

/** Reads: policy versions, approvals, budget status. */
@Injectable()
export class GovernanceQueries {
  constructor(
    @InjectDataSource(GOVERNANCE_SCHEMA) private readonly dataSource: DataSource,
    private readonly policies: TenantPolicies,
    private readonly budgets: BudgetStore,
  ) {}

  async policyVersions(
    principal: Principal,
  ): Promise<{ active: number | null; versions: Omit<PolicyVersionEntity, 'document'>[] }> {
    const tables = governanceTables(this.dataSource.manager, principal);
    const [pointer, versions] = await Promise.all([
      tables.activePolicies.findOne({}),
      tables.policyVersions.find({ order: { version: 'DESC' }, take: 200 }),
    ]);
    return { active: pointer?.version ?? null, versions: versions.map(({ document: _d, ...rest }) => rest) };
  }

  policyVersion(principal: Principal, version: number): Promise<PolicyVersionEntity> {
    return governanceTables(this.dataSource.manager, principal).policyVersions.get(
      { version },
      `policy version ${version}`,
    );
  }

  approvals(principal: Principal, state?: ApprovalState): Promise<ApprovalEntity[]> {
    return governanceTables(this.dataSource.manager, principal).approvals.find({
      ...(state ? { where: { state } } : {}),
      order: { requestedAt: 'DESC' },
      take: 200,
    });
  }

  approval(principal: Principal, id: string): Promise<ApprovalEntity> {
    return governanceTables(this.dataSource.manager, principal).approvals.get({ id }, `approval ${id}`);
  }

  /** Today's spend against the limits that apply (tenant caps, narrowed by nothing persona-specific here). */
  async budgetStatus(principal: Principal, persona?: string, sessionId?: string) {
    const now = new Date();
    const tenantPolicy = await this.policies.active(principal);
    const limits = effectiveBudgetLimits(undefined, tenantPolicy?.document.limits?.budgets);
    const subject = {
      tenant: principal.tenantId,
      persona: persona ?? '-',
      ...(sessionId ? { sessionId } : {}),
    };
    const scopes = [
      { scope: 'tenant_day' as const, limit: limits.maxCostPerTenantPerDay },
      ...(persona ? [{ scope: 'persona_day' as const, limit: limits.maxCostPerPersonaPerDay }] : []),
      ...(sessionId ? [{ scope: 'session' as const, limit: limits.maxCostPerSession }] : []),
    ];
    const totals = await this.budgets.counters.read(scopes.map((s) => budgetKey(subject, s.scope, now)));
    return {
      day: now.toISOString().slice(0, 10),
      backend: this.budgets.backend,
      policy: tenantPolicy?.label ?? null,
      counters: scopes.map((s, i) => ({
        scope: s.scope,
        spent: fromMicros(totals[i] ?? 0),
        limit: s.limit ?? null,
      })),
      maxCostPerRequest: limits.maxCostPerRequest ?? null,
    };
  }
}
