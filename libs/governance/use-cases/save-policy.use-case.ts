import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { canonicalize } from '@personae/crypto';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { governanceTables, GOVERNANCE_SCHEMA } from '../store/governance-tables';
import type { PolicyVersionEntity } from '../store/policy-version.entity';
import { tenantPolicyLabel } from '../store/tenant-policies';
import { compiledOrRefused } from './policy-refusals';

/**
 * Saves a tenant policy as its next immutable version (validated and contradiction-free first, so a
 * refused document writes nothing) and, unless told otherwise, makes it the active one.
 */
@Injectable()
export class SavePolicy {
  constructor(@InjectDataSource(GOVERNANCE_SCHEMA) private readonly dataSource: DataSource) {}

  execute(principal: Principal, document: unknown, activate: boolean): Promise<PolicyVersionEntity> {
    const { document: valid } = compiledOrRefused(document, { layer: 'tenant', version: 'candidate' });
    return this.dataSource.transaction(async (manager) => {
      await lockTenantPolicies(manager, principal.tenantId);
      const tables = governanceTables(manager, principal);
      const highest = await tables.policyVersions
        .queryBuilder('p')
        .select('MAX(p.version)', 'highest')
        .getRawOne<{ highest: number | null }>();
      const entity: PolicyVersionEntity = {
        tenantId: principal.tenantId,
        version: (highest?.highest ?? 0) + 1,
        name: valid.name,
        document: valid,
        digest: `sha256:${createHash('sha256').update(canonicalize(valid)).digest('hex')}`,
        createdBy: principal.subject,
        createdAt: new Date(),
      };
      await tables.policyVersions.insert(entity);
      if (activate) await setActive(manager, principal, entity.version);
      return entity;
    });
  }
}

/** Serialises version numbering and activation of one tenant's policies. */
export async function lockTenantPolicies(manager: EntityManager, tenantId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('governance.policies'), hashtext($1))`, [
    tenantId,
  ]);
}

export async function setActive(
  manager: EntityManager,
  principal: Principal,
  version: number,
): Promise<void> {
  await manager.query(
    `INSERT INTO governance.active_policies (tenant_id, version, activated_by, activated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version, activated_by = excluded.activated_by, activated_at = now()`,
    [principal.tenantId, version, principal.subject],
  );
}

export { tenantPolicyLabel };
