import type { ToolCall } from '@personae/models';
import type { MemoryMessage } from '../domain/prompt-assembly';
import { REF_PATTERN } from './dto/runtime-requests.dto';

/** A chat-completions request as the runtime understands it; anything else an OpenAI client sends is ignored. */
export interface ChatCompletionRequest {
  model: string;
  input: string;
  history: Omit<MemoryMessage, 'personaDigest'>[];
  /** The client's system messages, given after the persona's own instructions. */
  context?: string;
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  temperature?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

const MAX_MESSAGES = 500;

/**
 * Reads an OpenAI chat-completions body. Clients send many fields the runtime has no use for (n,
 * top_p, penalties…): they are ignored rather than refused, so unchanged clients work. What must hold:
 * `model` is a persona ref, the last message is the user's, and no client-defined tools (`tools`, or
 * the older `functions`; an empty list passes).
 */
export function parseChatCompletion(body: unknown): Parsed<ChatCompletionRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return bad('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !REF_PATTERN.test(b.model))
    return bad('model', 'must be a persona ref: name.vN (e.g. helper.v3) or name@channel (e.g. helper@prod)');
  if (!Array.isArray(b.messages) || b.messages.length === 0)
    return bad('messages', 'must be a non-empty array');
  if (b.messages.length > MAX_MESSAGES) return bad('messages', `at most ${MAX_MESSAGES} messages`);
  const history: ChatCompletionRequest['history'] = [];
  const system: string[] = [];
  for (const [i, raw] of b.messages.entries()) {
    if (typeof raw !== 'object' || raw === null) return bad(`messages[${i}]`, 'must be an object');
    const m = raw as Record<string, unknown>;
    const content = textOf(m.content);
    if (content === undefined)
      return bad(`messages[${i}].content`, 'must be a string or an array of text parts');
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(content);
        break;
      case 'user':
        history.push({ role: 'user', content });
        break;
      case 'assistant': {
        const toolCalls = toolCallsOf(m.tool_calls);
        history.push({ role: 'assistant', content, ...(toolCalls.length ? { toolCalls } : {}) });
        break;
      }
      case 'tool':
        if (typeof m.tool_call_id !== 'string')
          return bad(`messages[${i}].tool_call_id`, 'is required for a tool message');
        history.push({ role: 'tool', content, toolCallId: m.tool_call_id });
        break;
      default:
        return bad(`messages[${i}].role`, 'must be system, developer, user, assistant or tool');
    }
  }
  const last = history.pop();
  if (!last || last.role !== 'user') return bad('messages', 'the last message must be from the user');
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  if (
    maxTokens !== undefined &&
    maxTokens !== null &&
    (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)
  )
    return bad('max_tokens', 'must be a positive integer');
  const temperature = b.temperature;
  if (
    temperature !== undefined &&
    temperature !== null &&
    (typeof temperature !== 'number' || temperature < 0 || temperature > 2)
  )
    return bad('temperature', 'must be a number from 0 to 2');
  // A persona reaches only the tools of its signed bundle: tools a client defines are never offered to
  // its model. Said plainly rather than ignored, or an agent loop would wait for calls that never come.
  for (const field of ['tools', 'functions'] as const) {
    const defined = b[field];
    if (defined === undefined || defined === null || (Array.isArray(defined) && defined.length === 0))
      continue;
    return bad(
      field,
      "a persona's tools come from its signed tool bundle (deployers register their endpoints at POST /v1/runtime/tools); tools defined by the client are not offered to its model",
    );
  }
  const options = b.stream_options as { include_usage?: unknown } | undefined;
  return {
    ok: true,
    value: {
      model: b.model,
      input: last.content,
      history,
      ...(system.length ? { context: system.join('\n\n') } : {}),
      stream: b.stream === true,
      includeUsage: options?.include_usage === true,
      ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
      ...(typeof temperature === 'number' ? { temperature } : {}),
    },
  };
}

function bad(field: string, reason: string): Parsed<never> {
  return { ok: false, field, reason };
}

function textOf(content: unknown): string | undefined {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part !== 'object' || part === null) return undefined;
    const p = part as { type?: unknown; text?: unknown };
    if (p.type === 'text' && typeof p.text === 'string') parts.push(p.text);
    else return undefined;
  }
  return parts.join('');
}

function toolCallsOf(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((call) => {
    const c = call as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    return typeof c.id === 'string' && typeof c.function?.name === 'string'
      ? [
          {
            id: c.id,
            name: c.function.name,
            arguments: typeof c.function.arguments === 'string' ? c.function.arguments : '',
          },
        ]
      : [];
  });
}
