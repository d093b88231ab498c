import type { ChatMessage, KnowledgePassage, ToolCall } from '@personae/models';
import { estimateMessagesTokens, estimateTokens } from '@personae/models';
import type { PersonaPack } from '@personae/pack';
import { personaInstructions } from './persona-instructions';

/** One remembered turn of an instance, as stored. */
export interface MemoryMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
  /** The pack the turn was made under: tool turns of another persona are not replayed. */
  personaDigest: string;
}

export interface PromptInput {
  pack: PersonaPack;
  digest: string;
  /** The instance's starter context, given when it was created. */
  context?: string;
  history: readonly MemoryMessage[];
  /** This turn's (redacted) user input. */
  input: string;
  passages: readonly KnowledgePassage[];
  /** The model's context window, in tokens. */
  contextTokens: number;
  /** Tokens kept free for the answer. */
  reserveForAnswer: number;
}

export interface AssembledPrompt {
  messages: ChatMessage[];
  promptTokens: number;
  /** History turns left out to fit the window (oldest first). */
  droppedTurns: number;
}

/**
 * System prompt + persona instructions + starter context, few-shot examples, then as much recent
 * history as fits the window, then the input. History is cut at user turns so a tool call is never
 * separated from its result; tool turns made under another persona (before a swap) are left out,
 * because that persona's tools are no longer reachable.
 */
export function assemblePrompt(input: PromptInput): AssembledPrompt {
  const spec = input.pack.spec;
  const system = [spec.prompt.system, personaInstructions(spec)];
  if (input.context) system.push(`Context for this conversation:\n${input.context}`);
  const head: ChatMessage[] = [{ role: 'system', content: system.filter(Boolean).join('\n\n') }];
  for (const example of spec.prompt.examples ?? []) {
    head.push({ role: 'user', content: example.input }, { role: 'assistant', content: example.output });
  }
  const tail: ChatMessage[] = [{ role: 'user', content: input.input }];
  const passageTokens = input.passages.reduce((sum, p) => sum + estimateTokens(p.text) + 8, 0);
  const headTokens = estimateMessagesTokens(head);
  const tailTokens = estimateMessagesTokens(tail);
  const budget = input.contextTokens - input.reserveForAnswer - passageTokens - headTokens - tailTokens;

  const turns = replayable(input.history, input.digest);
  let used = 0;
  let keptTokens = 0;
  let start = turns.length;
  // Walk back a whole user-led turn at a time; each message is estimated once.
  for (let i = turns.length - 1; i >= 0; i--) {
    used += estimateMessagesTokens([turns[i]!]) - 2; // the 2 priming tokens count once, in head
    if (used > budget) break;
    if (turns[i]!.role === 'user') {
      start = i;
      keptTokens = used;
    }
  }
  const kept = turns.slice(start);
  const messages = [...head, ...kept, ...tail];
  return {
    messages,
    promptTokens: headTokens + keptTokens + tailTokens - 2 + passageTokens,
    droppedTurns: turns.slice(0, start).filter((m) => m.role === 'user').length,
  };
}

function replayable(history: readonly MemoryMessage[], digest: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of history) {
    const foreignTools = m.personaDigest !== digest && (m.role === 'tool' || (m.toolCalls?.length ?? 0) > 0);
    if (foreignTools) {
      // Keep what the old persona said, not how it used its tools.
      if (m.role === 'assistant' && m.content) out.push({ role: 'assistant', content: m.content });
      continue;
    }
    out.push({
      role: m.role,
      content: m.content,
      ...(m.toolCalls?.length ? { toolCalls: m.toolCalls } : {}),
      ...(m.toolCallId ? { toolCallId: m.toolCallId } : {}),
    });
  }
  return out;
}
