/** Injection token of the process' ModelProvider: a ModelRouter built from AppConfig. */
export const MODEL_PROVIDER = Symbol('personae:model-provider');

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** The model's arguments as JSON text, as it produced them (not parsed or checked here). */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  name?: string;
  /** role 'tool': the call this message answers. */
  toolCallId?: string;
  /** role 'assistant': the calls it made. */
  toolCalls?: ToolCall[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** A piece of the persona's knowledge, as retrieval found it. */
export interface KnowledgePassage {
  id: string;
  text: string;
  /** Where it came from (document, URL); shown when quoted. */
  source?: string;
}

/** A model to try, with its own settings (the pack's `models.primary` / `models.fallback[]`). */
export interface ModelTarget {
  model: string;
  temperature?: number;
  maxTokens?: number;
}

export interface ModelRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  tools?: ToolDefinition[];
  /**
   * Knowledge for this turn: the offline responder answers from it alone; a language model gets it
   * as one system message after the caller's first system message.
   */
  context?: { passages: KnowledgePassage[] };
  /** Tried in order by the ModelRouter when `model` fails on a timeout, 5xx, 429 or bad response. */
  fallbacks?: ModelTarget[];
  /** Cancels the request (ModelAbortedError; never falls back). */
  signal?: AbortSignal;
  /** complete(): the whole request; stream(): until the response starts and between chunks. */
  timeoutMs?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface ModelUsage {
  promptTokens: number;
  completionTokens: number;
  /** True when the provider did not report usage and `token-estimate` counted instead. */
  estimated: boolean;
}

export type ModelAttemptOutcome =
  'ok' | 'timeout' | 'http' | 'protocol' | 'connection' | 'aborted' | 'request' | 'route' | 'unavailable';

/** One try of one model by the router: what answered, or why not. */
export interface ModelAttempt {
  /** The model as it was asked for (the primary's or a fallback's name), whatever the provider calls it. */
  model: string;
  provider: string;
  outcome: ModelAttemptOutcome;
  error?: string;
  durationMs: number;
}

export interface ModelResponse {
  /** The model that answered (as the provider named it). */
  model: string;
  /** Which provider answered: `offline-retrieval`, or the endpoint's name (its host by default). */
  provider: string;
  content: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: ModelUsage;
  /** Set by the ModelRouter: every model tried, in order, the last one being the one that answered. */
  attempts?: ModelAttempt[];
}

/** Streamed: content deltas as they come, then exactly one `done` with the assembled response. */
export type ModelChunk = { type: 'content'; text: string } | { type: 'done'; response: ModelResponse };

export interface ModelProvider {
  readonly name: string;
  complete(request: ModelRequest): Promise<ModelResponse>;
  stream(request: ModelRequest): AsyncIterable<ModelChunk>;
}
