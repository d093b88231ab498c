import type { Budget, PersonaPack, PiiRedactionMode, PiiType } from '@personae/pack';
import type { InlinePersona } from './decide-body.schema';

/** Escalations go here when the persona names no channel of its own. */
export const DEFAULT_ESCALATION_CHANNEL = 'governance:reviewers';

/** What a decision needs to know about the persona, whether described inline or read from its sealed pack. */
export interface PersonaFacts {
  name: string;
  version?: number;
  capabilities: string[];
  tags: string[];
  tools?: string[];
  hooks: { allowedActions: string[]; blockedActions: string[] };
  escalationChannel: string;
  piiRedaction: { enabled: boolean; mode: PiiRedactionMode; types?: PiiType[] };
  budget?: Budget;
}

export function factsOfInline(persona: InlinePersona): PersonaFacts {
  const policy = persona.policy;
  return {
    name: persona.name,
    ...(persona.version === undefined ? {} : { version: persona.version }),
    capabilities: persona.capabilities ?? [],
    tags: persona.tags ?? [],
    ...(persona.tools === undefined ? {} : { tools: persona.tools }),
    hooks: { allowedActions: policy?.allowedActions ?? [], blockedActions: policy?.blockedActions ?? [] },
    escalationChannel: policy?.escalation?.channels[0] ?? DEFAULT_ESCALATION_CHANNEL,
    piiRedaction: {
      enabled: policy?.piiRedaction?.enabled ?? true,
      mode: policy?.piiRedaction?.mode ?? 'mask',
      ...(policy?.piiRedaction?.types ? { types: policy.piiRedaction.types } : {}),
    },
    ...(persona.budget ? { budget: persona.budget } : {}),
  };
}

export function factsOfPack(pack: PersonaPack): PersonaFacts {
  const { policy } = pack.spec;
  return {
    name: pack.metadata.name,
    ...(pack.metadata.version === undefined ? {} : { version: pack.metadata.version }),
    capabilities: pack.spec.capabilities,
    tags: pack.metadata.tags,
    tools: pack.spec.tools.map((tool) => tool.name),
    hooks: { allowedActions: policy.allowedActions, blockedActions: policy.blockedActions },
    escalationChannel: policy.escalation.channels[0] ?? DEFAULT_ESCALATION_CHANNEL,
    piiRedaction: {
      enabled: policy.piiRedaction.enabled,
      mode: policy.piiRedaction.mode,
      ...(policy.piiRedaction.types ? { types: policy.piiRedaction.types } : {}),
    },
    budget: pack.spec.models.budget,
  };
}

/** The persona layer's version label: `name.vN`, or the name for an unsealed description. */
export function personaLabel(facts: PersonaFacts): string {
  return facts.version === undefined ? facts.name : `${facts.name}.v${facts.version}`;
}
