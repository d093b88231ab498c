import { Injectable } from '@nestjs/common';
import type { TenantContext } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import { compilePolicyOrThrow, type CompiledPolicy, type PolicyDocument } from '@personae/policy';
import type { DataSource, EntityManager } from 'typeorm';
import { governanceTables, GOVERNANCE_SCHEMA } from './governance-tables';

export interface ActiveTenantPolicy {
  version: number;
  label: string;
  document: PolicyDocument;
  compiled: CompiledPolicy;
}

const CACHE_LIMIT = 1000;

/** `<policy name>.v<N>`: what decisions report as the tenant layer's version. */
export function tenantPolicyLabel(name: string, version: number): string {
  return `${name}.v${version}`;
}

/**
 * The tenant's policy in force, compiled. Versions are immutable, so a compiled version is cached by
 * (tenant, version) for good; only the active pointer is read per call (one indexed row), so every
 * replica sees an activation at once.
 */
@Injectable()
export class TenantPolicies {
  private readonly compiled = new Map<string, ActiveTenantPolicy>();

  constructor(@InjectDataSource(GOVERNANCE_SCHEMA) private readonly dataSource: DataSource) {}

  async active(
    tenant: TenantContext,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ActiveTenantPolicy | undefined> {
    const tables = governanceTables(manager, tenant);
    const pointer = await tables.activePolicies.findOne({});
    if (!pointer) return undefined;
    return this.version(tenant, pointer.version, manager);
  }

  async version(
    tenant: TenantContext,
    version: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ActiveTenantPolicy | undefined> {
    const tables = governanceTables(manager, tenant);
    const key = `${tables.policyVersions.tenantId}:${version}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const row = await tables.policyVersions.findOne({ version });
    if (!row) return undefined;
    const label = tenantPolicyLabel(row.name, row.version);
    const entry = {
      version: row.version,
      label,
      document: row.document,
      compiled: compilePolicyOrThrow(row.document, { layer: 'tenant', version: label }),
    };
    if (this.compiled.size >= CACHE_LIMIT) this.compiled.clear();
    this.compiled.set(key, entry);
    return entry;
  }
}
