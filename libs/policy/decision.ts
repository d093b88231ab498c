import type { Capability, PiiType } from '@personae/pack';
import type { Mode } from './schema/policy-document.schema';

export type Layer = 'constitution' | 'tenant' | 'persona';
export type DecisionEffect = 'allow' | 'deny' | 'require_approval';

/** What is asked: may this persona, for this caller, take this action (or call this tool) now? */
export interface DecisionRequest {
  persona: {
    name: string;
    version?: number;
    capabilities: readonly (Capability | string)[];
    tags: readonly string[];
    /** The pack's tool bundle; when given, tool calls outside it can be forbidden (`toolOutsideBundle`). */
    tools?: readonly string[];
  };
  principal: { role: string; tenant: string };
  /** The action; for a tool call, the tool's name (a pack's tool name is also its action name). */
  action: string;
  /** Set for tool calls: tool calls are denied unless a rule permits them. */
  tool?: string;
  context: {
    /** USD spent so far in this session. */
    costSoFar?: number;
    piiFound?: readonly PiiType[];
    mode: Mode;
    time: Date;
  };
}

export interface Decision {
  effect: DecisionEffect;
  /** `<layer>:<rule id>` of the rules that decided, or `default:…` when none matched. */
  ruleIds: string[];
  reasons: string[];
  /** The version of each layer consulted, e.g. `{ constitution: 'constitution.v1', tenant: 'acme.v3' }`. */
  policyVersions: Partial<Record<Layer, string>>;
  /** True when a tenant or persona rule changed what the constitution alone would decide. */
  override: boolean;
}

/** The rule ids used when no rule matched. */
export const DEFAULT_DENY_TOOLS = 'default:deny-tools';
export const DEFAULT_ALLOW_ACTIONS = 'default:allow-actions';
