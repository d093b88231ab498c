import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { decide, type Decision } from '@personae/policy';
import type { DryRunBody } from '../domain/decide-body.schema';
import { scanText } from '../domain/pii-scan';
import { TenantPolicies, type ActiveTenantPolicy } from '../store/tenant-policies';
import { decisionRequest, layersFor } from './decision-input';
import { PersonaFactsResolver } from './persona-facts.resolver';
import { compiledOrRefused } from './policy-refusals';

/**
 * What a policy would decide for these requests: a candidate document (not saved) or a saved version,
 * else the active one. Nothing is recorded, published or reserved.
 */
@Injectable()
export class DryRun {
  constructor(
    private readonly personas: PersonaFactsResolver,
    private readonly policies: TenantPolicies,
  ) {}

  async execute(
    principal: Principal,
    token: string,
    body: DryRunBody,
    version?: number,
  ): Promise<{ policy: string | null; decisions: (Decision & { pii: { found: string[] } })[] }> {
    const tenantPolicy = await this.tenantLayer(principal, body, version);
    const decisions = [];
    for (const item of body.requests) {
      const facts = await this.personas.facts(token, item.persona);
      const scan = item.input === undefined ? undefined : scanText(item.input, facts.piiRedaction);
      const request = decisionRequest(principal, item, facts, [scan]);
      decisions.push({
        ...decide(request, layersFor(facts, tenantPolicy)),
        pii: { found: scan?.found ?? [] },
      });
    }
    return { policy: tenantPolicy?.label ?? null, decisions };
  }

  private async tenantLayer(
    principal: Principal,
    body: DryRunBody,
    version?: number,
  ): Promise<ActiveTenantPolicy | undefined> {
    if (body.document !== undefined) {
      const compiled = compiledOrRefused(body.document, { layer: 'tenant', version: 'candidate' });
      return { version: 0, label: 'candidate', document: compiled.document, compiled: compiled.policy };
    }
    if (version !== undefined) {
      const saved = await this.policies.version(principal, version);
      if (!saved) throw new NotFoundException(`policy version ${version} not found`);
      return saved;
    }
    return this.policies.active(principal);
  }
}
