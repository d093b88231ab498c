import type {
  ChatMessage,
  FinishReason,
  ModelRequest,
  ToolCall,
  ToolDefinition,
} from './model-provider.port';
import { ModelProtocolError, ModelRequestError } from './model-errors';

/**
 * The OpenAI chat-completions wire format: building requests and validating what comes back.
 * Nothing from the wire is trusted: every field read is checked for its type.
 */
export function toWireRequest(request: ModelRequest, stream: boolean): Record<string, unknown> {
  if (typeof request.model !== 'string' || request.model === '')
    throw new ModelRequestError('a model request needs a model name');
  if (!Array.isArray(request.messages) || request.messages.length === 0)
    throw new ModelRequestError('a model request needs at least one message');
  const body: Record<string, unknown> = {
    model: request.model,
    messages: withKnowledge(request).map(toWireMessage),
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.tools && request.tools.length > 0) body.tools = request.tools.map(toWireTool);
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

/** Passages go in as one system message, after the caller's leading system message if any. */
function withKnowledge(request: ModelRequest): ChatMessage[] {
  const passages = request.context?.passages ?? [];
  if (passages.length === 0) return request.messages;
  const text = [
    "Knowledge passages (from this persona's knowledge; cite the source in brackets when you use one):",
    ...passages.map((p) => `[${p.source ?? p.id}] ${p.text}`),
  ].join('\n');
  const knowledge: ChatMessage = { role: 'system', content: text };
  const [first, ...rest] = request.messages;
  return first?.role === 'system' ? [first, knowledge, ...rest] : [knowledge, ...request.messages];
}

function toWireMessage(message: ChatMessage): Record<string, unknown> {
  const wire: Record<string, unknown> = { role: message.role, content: message.content };
  if (message.name) wire.name = message.name;
  switch (message.role) {
    case 'tool':
      if (!message.toolCallId) throw new ModelRequestError('a tool message needs the toolCallId it answers');
      wire.tool_call_id = message.toolCallId;
      break;
    case 'assistant':
      if (message.toolCalls && message.toolCalls.length > 0) {
        wire.tool_calls = message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }));
        if (message.content === '') wire.content = null;
      }
      break;
    case 'system':
    case 'user':
      break;
  }
  return wire;
}

function toWireTool(tool: ToolDefinition): Record<string, unknown> {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.parameters,
    },
  };
}

export interface ParsedCompletion {
  model?: string;
  content: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage?: { promptTokens: number; completionTokens: number };
}

type Fail = (problem: string) => ModelProtocolError;

export function parseCompletion(json: unknown, fail: Fail): ParsedCompletion {
  const root = record(json, 'the response', fail);
  if (root.error !== undefined && root.choices === undefined)
    throw fail(`it reported an error: ${errorText(root.error)}`);
  if (!Array.isArray(root.choices) || root.choices.length === 0) throw fail('no choices');
  const choice = record(root.choices[0], 'choices[0]', fail);
  const message = record(choice.message, 'choices[0].message', fail);
  const content = optionalString(message.content, 'message.content', fail) ?? '';
  const toolCalls: ToolCall[] = [];
  if (message.tool_calls !== undefined && message.tool_calls !== null) {
    if (!Array.isArray(message.tool_calls)) throw fail('message.tool_calls is not an array');
    for (const [i, raw] of message.tool_calls.entries()) {
      const call = record(raw, `tool_calls[${i}]`, fail);
      const fn = record(call.function, `tool_calls[${i}].function`, fail);
      if (typeof call.id !== 'string' || call.id === '') throw fail(`tool_calls[${i}].id is missing`);
      if (typeof fn.name !== 'string' || fn.name === '')
        throw fail(`tool_calls[${i}].function.name is missing`);
      toolCalls.push({ id: call.id, name: fn.name, arguments: argumentsText(fn.arguments, i, fail) });
    }
  }
  return {
    model: typeof root.model === 'string' && root.model !== '' ? root.model : undefined,
    content,
    toolCalls,
    finishReason: finishReason(choice.finish_reason, toolCalls.length > 0, fail),
    usage: usage(root.usage, fail),
  };
}

/** Assembles a streamed completion from its chunks; `add` returns the content delta of one chunk. */
export class StreamAssembly {
  model?: string;
  content = '';
  finish?: FinishReason;
  reportedUsage?: { promptTokens: number; completionTokens: number };
  private readonly calls = new Map<number, { id?: string; name?: string; arguments: string }>();

  constructor(private readonly fail: Fail) {}

  add(json: unknown): string {
    const fail = this.fail;
    const chunk = record(json, 'a stream chunk', fail);
    if (chunk.error !== undefined) throw fail(`it reported an error mid-stream: ${errorText(chunk.error)}`);
    if (typeof chunk.model === 'string' && chunk.model !== '') this.model = chunk.model;
    const reported = usage(chunk.usage, fail);
    if (reported) this.reportedUsage = reported;
    if (chunk.choices === undefined) return '';
    if (!Array.isArray(chunk.choices)) throw fail('chunk choices is not an array');
    if (chunk.choices.length === 0) return '';
    const choice = record(chunk.choices[0], 'chunk choices[0]', fail);
    let text = '';
    if (choice.delta !== undefined && choice.delta !== null) {
      const delta = record(choice.delta, 'delta', fail);
      text = optionalString(delta.content, 'delta.content', fail) ?? '';
      this.content += text;
      if (delta.tool_calls !== undefined && delta.tool_calls !== null) {
        if (!Array.isArray(delta.tool_calls)) throw fail('delta.tool_calls is not an array');
        for (const raw of delta.tool_calls) this.addCall(record(raw, 'a tool call delta', fail));
      }
    }
    if (choice.finish_reason !== undefined && choice.finish_reason !== null)
      this.finish = finishReason(choice.finish_reason, this.calls.size > 0, fail);
    return text;
  }

  toolCalls(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => {
        if (!call.name) throw this.fail(`tool call ${index} never got a name`);
        return { id: call.id ?? `call_${index}`, name: call.name, arguments: call.arguments };
      });
  }

  private addCall(delta: Record<string, unknown>): void {
    const fail = this.fail;
    const index = delta.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= MAX_TOOL_CALLS)
      throw fail('a tool call delta has no valid index');
    const call = this.calls.get(index) ?? { arguments: '' };
    this.calls.set(index, call);
    if (typeof delta.id === 'string' && delta.id !== '') call.id ??= delta.id;
    if (delta.function === undefined || delta.function === null) return;
    const fn = record(delta.function, 'a tool call delta function', fail);
    const name = optionalString(fn.name, 'function.name', fail);
    // The name comes whole in the first delta; some servers repeat it, which must not double it.
    if (name) call.name ??= name;
    call.arguments += optionalString(fn.arguments, 'function.arguments', fail) ?? '';
    if (call.arguments.length > MAX_ARGUMENT_CHARS) throw fail('tool call arguments are too long');
  }
}

const MAX_TOOL_CALLS = 64;
const MAX_ARGUMENT_CHARS = 1024 * 1024;

/** The message of an error body (`{error: {message}}`, `{error: "..."}`, `{message}`), else ''. */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message, error: inner } = error as { message?: unknown; error?: unknown };
    if (typeof message === 'string') return message;
    if (inner !== undefined) return errorText(inner);
  }
  return '';
}

function finishReason(value: unknown, hasToolCalls: boolean, fail: Fail): FinishReason {
  if (value === undefined || value === null) return hasToolCalls ? 'tool_calls' : 'stop';
  if (typeof value !== 'string') throw fail('finish_reason is not a string');
  switch (value) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return value;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

function usage(value: unknown, fail: Fail): { promptTokens: number; completionTokens: number } | undefined {
  if (value === undefined || value === null) return undefined;
  const u = record(value, 'usage', fail);
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!count(u.prompt_tokens) || !count(u.completion_tokens)) throw fail('usage has no valid token counts');
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
}

/** Some compatible servers send arguments as an object rather than JSON text: take both. */
function argumentsText(value: unknown, index: number, fail: Fail): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  if (value === undefined || value === null) return '{}';
  throw fail(`tool_calls[${index}].function.arguments is not JSON text`);
}

function record(value: unknown, what: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, what: string, fail: Fail): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw fail(`${what} is not a string`);
  return value;
}
