import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import type { PiiType } from '@personae/pack';
import { constitution, decide, personaLayer, type CompiledPolicy } from '@personae/policy';
import type { ReceiptDecision } from '../domain/compliance-receipt';
import type { RuntimeMode } from '../domain/runtime-mode';
import { BoundedMap } from '@personae/service-kit';
import type { VerifiedPersona } from '../personas/verified-persona';
import { TenantPolicyLayers } from './tenant-policy-layers';

/**
 * `@personae/policy`'s decide in process with all three layers: the constitution, the tenant's
 * active policy (read from the governance service by TenantPolicyLayers, prepared before each
 * execution) and the persona's own layer (compiled once per pack digest).
 */
@Injectable()
export class PolicyDecisions {
  private readonly constitution = constitution();
  private readonly personaLayers = new BoundedMap<string, CompiledPolicy>(2000);

  constructor(private readonly tenantLayers: TenantPolicyLayers) {}

  decide(
    persona: VerifiedPersona,
    principal: Principal,
    action: string,
    context: { tool?: string; mode: RuntimeMode; costSoFar: number; piiFound?: readonly PiiType[] },
  ): ReceiptDecision {
    const spec = persona.pack.spec;
    const decision = decide(
      {
        persona: {
          name: persona.name,
          version: persona.version,
          capabilities: spec.capabilities,
          tags: persona.pack.metadata.tags,
          tools: spec.tools.map((t) => t.name),
        },
        principal: { role: principal.role, tenant: principal.tenantId },
        action,
        ...(context.tool ? { tool: context.tool } : {}),
        context: {
          costSoFar: context.costSoFar,
          ...(context.piiFound ? { piiFound: context.piiFound } : {}),
          mode: context.mode,
          time: new Date(),
        },
      },
      {
        constitution: this.constitution,
        tenant: this.tenantLayers.layerOf(principal.tenantId),
        persona: this.layerOf(persona),
      },
    );
    return {
      step: context.tool ? `tool:${context.tool}` : 'action',
      effect: decision.effect,
      ruleIds: decision.ruleIds,
      reasons: decision.reasons,
    };
  }

  private layerOf(persona: VerifiedPersona): CompiledPolicy {
    let layer = this.personaLayers.get(persona.digest);
    if (!layer) {
      layer = personaLayer(persona.pack.spec.policy, persona.ref);
      this.personaLayers.set(persona.digest, layer);
    }
    return layer;
  }
}
