import type { Principal } from '@personae/auth';
import type { FinishReason, ToolCall } from '@personae/models';
import type { MemoryMessage } from '../domain/prompt-assembly';
import type { ExecutionOutcome, ReceiptDecision, SignedReceipt } from '../domain/compliance-receipt';

/** One governed request. Either an instance (stateful: its memory is the history) or a ref (stateless). */
export interface ExecutionRequest {
  principal: Principal;
  /** The caller's bearer token, forwarded to the registry when a persona must be resolved. */
  token: string;
  instanceId?: string;
  ref?: string;
  /** Stateless only: the conversation so far, as an OpenAI-compatible client sends it. */
  history?: Omit<MemoryMessage, 'personaDigest'>[];
  /** Stateless only: the client's own system messages, given to the model as context after the persona's. */
  context?: string;
  input: string;
  /** The governed action; `chat` by default. */
  action: string;
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

/** Where streamed text goes as it is produced (already through output governance). */
export interface ExecutionSink {
  content(text: string): void;
  tool?(event: { name: string; outcome: 'ok' | 'refused' | 'failed'; reason?: string }): void;
}

export interface ExecutedToolCall extends ToolCall {
  tool: string;
  outcome: 'ok' | 'refused' | 'failed';
  reason?: string;
}

export interface ExecutionResult {
  executionId: string;
  outcome: ExecutionOutcome;
  personaRef: string;
  digest: string;
  instanceId: string | null;
  sessionId: string | null;
  content: string;
  finishReason: FinishReason | 'denied' | 'error';
  model: string | null;
  provider: string | null;
  usage: { promptTokens: number; completionTokens: number; estimated: boolean };
  cost: number;
  toolCalls: ExecutedToolCall[];
  decisions: ReceiptDecision[];
  /** Set when outcome is denied: why, in words. */
  denial?: { step: string; reasons: string[] };
  /** Set when outcome is failed: the HTTP status it maps to and why. */
  failure?: { status: number; reason: string };
  receipt: SignedReceipt;
  latencyMs: number;
  /** High-resolution: the whole execution, and the part spent waiting for the model and tools. */
  /** ms: all of the execution, the model's part, the database's part (instance read and record). */
  timings: { totalMs: number; modelMs: number; storeMs: number };
}
