import type {
  Capability,
  KnowledgeRef,
  ModelProfile,
  Personality,
  ResponseStyle,
  SandboxPolicy,
  ToolSpec,
  ValidationTest,
  Voice,
} from '@personae/pack';

/** A model given by name, or with its settings; unset settings take the pack defaults. */
export type ModelInput = string | { model: string; temperature?: number; maxTokens?: number };
/** A tool as you write it: sandbox, scopes, heuristics and input schema may be left to defaults. */
export interface ToolInput {
  name: string;
  description: string;
  inputSchema?: ToolSpec['inputSchema'];
  sandbox?: Partial<SandboxPolicy>;
  credentialScopes?: string[];
  heuristics?: string[];
}
export type ValidationTestInput = ValidationTest;
export type Many<T> = Array<T | readonly T[]>;

/** What a builder holds: a pack under construction, each part already checked. */
export interface Draft {
  metadata: Record<string, unknown>;
  prompt: Record<string, unknown>;
  personality: Partial<Personality>;
  style: Partial<ResponseStyle>;
  capabilities: Capability[];
  tools: ToolSpec[];
  knowledge: KnowledgeRef[];
  models: {
    preSlm?: ModelProfile;
    primary?: ModelProfile;
    fallback: ModelProfile[];
    budget: Record<string, number>;
  };
  policy: Record<string, unknown> & { allowedActions: string[]; blockedActions: string[] };
  voice?: Voice;
  validation: ValidationTest[];
}

export function emptyDraft(name: string): Draft {
  return {
    metadata: { name },
    prompt: {},
    personality: {},
    style: {},
    capabilities: [],
    tools: [],
    knowledge: [],
    models: { fallback: [], budget: {} },
    policy: { allowedActions: [], blockedActions: [] },
    validation: [],
  };
}
