import { BadRequestException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { constitution, personaLayer, type DecisionRequest, type PolicyLayers } from '@personae/policy';
import type { DecideBody } from '../domain/decide-body.schema';
import { personaLabel, type PersonaFacts } from '../domain/persona-facts';
import type { ScannedText } from '../domain/pii-scan';
import type { ActiveTenantPolicy } from '../store/tenant-policies';

/** The three layers for this persona and tenant. */
export function layersFor(facts: PersonaFacts, tenantPolicy: ActiveTenantPolicy | undefined): PolicyLayers {
  return {
    constitution: constitution(),
    ...(tenantPolicy ? { tenant: tenantPolicy.compiled } : {}),
    persona: personaLayer(facts.hooks, personaLabel(facts)),
  };
}

/** The library's request from the HTTP body, the caller and what the scans found. */
export function decisionRequest(
  principal: Principal,
  body: Pick<DecideBody, 'action' | 'tool' | 'context'>,
  facts: PersonaFacts,
  scans: readonly (ScannedText | undefined)[],
): DecisionRequest {
  const time = body.context?.time === undefined ? new Date() : new Date(body.context.time);
  if (Number.isNaN(time.getTime()))
    throw new BadRequestException({
      message: 'invalid time',
      errors: [{ field: '/context/time', reason: 'must be an ISO 8601 date-time' }],
    });
  const found = [...new Set(scans.flatMap((scan) => scan?.found ?? []))];
  return {
    persona: {
      name: facts.name,
      ...(facts.version === undefined ? {} : { version: facts.version }),
      capabilities: facts.capabilities,
      tags: facts.tags,
      ...(facts.tools === undefined ? {} : { tools: facts.tools }),
    },
    principal: { role: principal.role, tenant: principal.tenantId },
    action: body.action,
    ...(body.tool === undefined ? {} : { tool: body.tool }),
    context: {
      ...(body.context?.costSoFar === undefined ? {} : { costSoFar: body.context.costSoFar }),
      ...(found.length > 0 ? { piiFound: found } : {}),
      mode: body.context?.mode ?? 'prod',
      time,
    },
  };
}
