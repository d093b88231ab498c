import type { ToolCall } from '@personae/models';
import type { MemoryMessage } from '../domain/prompt-assembly';

export interface Totals {
  requests: number;
  tokensIn: number;
  tokensOut: number;
  /** USD */
  cost: number;
}

export interface InstanceRow {
  id: string;
  tenantId: string;
  sessionId: string | null;
  ref: string;
  personaName: string;
  version: number;
  digest: string;
  context: string;
  state: Record<string, unknown>;
  memoryEpoch: number;
  status: 'active' | 'terminated';
  terminatedReason: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  totals: Totals;
}

export interface SessionRow {
  id: string;
  tenantId: string;
  label: string;
  createdBy: string;
  createdAt: string;
  totals: Totals;
}

/** One message to append to an instance's memory. */
export interface NewMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

export interface RawInstance {
  id: string;
  tenant_id: string;
  session_id: string | null;
  ref: string;
  persona_name: string;
  version: number;
  digest: string;
  context: string;
  state: Record<string, unknown>;
  memory_epoch: number;
  status: 'active' | 'terminated';
  terminated_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  requests: string;
  tokens_in: string;
  tokens_out: string;
  cost: number;
}

export interface RawMessage {
  role: MemoryMessage['role'];
  content: string;
  tool_calls: ToolCall[] | null;
  tool_call_id: string | null;
  persona_digest: string;
}

export function instanceOf(raw: RawInstance): InstanceRow {
  return {
    id: raw.id,
    tenantId: raw.tenant_id,
    sessionId: raw.session_id,
    ref: raw.ref,
    personaName: raw.persona_name,
    version: raw.version,
    digest: raw.digest,
    context: raw.context,
    state: raw.state,
    memoryEpoch: raw.memory_epoch,
    status: raw.status,
    terminatedReason: raw.terminated_reason,
    createdBy: raw.created_by,
    createdAt: new Date(raw.created_at).toISOString(),
    updatedAt: new Date(raw.updated_at).toISOString(),
    totals: totalsOf(raw),
  };
}

export function totalsOf(raw: {
  requests: string;
  tokens_in: string;
  tokens_out: string;
  cost: number;
}): Totals {
  return {
    requests: Number(raw.requests),
    tokensIn: Number(raw.tokens_in),
    tokensOut: Number(raw.tokens_out),
    cost: Number(raw.cost),
  };
}

export function memoryOf(raw: RawMessage): MemoryMessage {
  return {
    role: raw.role,
    content: raw.content,
    ...(raw.tool_calls ? { toolCalls: raw.tool_calls } : {}),
    ...(raw.tool_call_id ? { toolCallId: raw.tool_call_id } : {}),
    personaDigest: raw.persona_digest,
  };
}
