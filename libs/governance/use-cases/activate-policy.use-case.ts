import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { governanceTables, GOVERNANCE_SCHEMA } from '../store/governance-tables';
import type { PolicyVersionEntity } from '../store/policy-version.entity';
import { lockTenantPolicies, setActive } from './save-policy.use-case';

/** Points the tenant at one of its saved versions (a rollback is activating an older one), or at none. */
@Injectable()
export class ActivatePolicy {
  constructor(@InjectDataSource(GOVERNANCE_SCHEMA) private readonly dataSource: DataSource) {}

  activate(principal: Principal, version: number): Promise<PolicyVersionEntity> {
    return this.dataSource.transaction(async (manager) => {
      await lockTenantPolicies(manager, principal.tenantId);
      const row = await governanceTables(manager, principal).policyVersions.get(
        { version },
        `policy version ${version}`,
      );
      await setActive(manager, principal, version);
      return row;
    });
  }

  /** Afterwards only the constitution and the personas' own hooks apply to the tenant. */
  deactivate(principal: Principal): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await lockTenantPolicies(manager, principal.tenantId);
      return (await governanceTables(manager, principal).activePolicies.delete({})) > 0;
    });
  }
}
