import type { ChatMessage, ToolDefinition } from './model-provider.port';

/**
 * A deliberately simple token estimate for usage when a provider reports none, and for the
 * offline responder's `maxTokens`. Not a tokenizer: BPE vocabularies differ per model.
 *
 * - a run of letters/digits counts one token per started 6 characters ("the" 1, "knowledge" 2),
 * - each CJK character counts one (they are mostly single tokens),
 * - each other visible character (punctuation, symbols) counts one; whitespace counts nothing.
 *
 * On English prose this lands near the usual "about 4 characters per token"; it leans high on long
 * words and code, which is the safe side for budgets.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const piece of pieces(text)) tokens += pieceTokens(piece);
  return tokens;
}

/** Chat framing as OpenAI documents it for its chat models: ~4 tokens per message, 2 to prime the reply. */
export function estimateMessagesTokens(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[] = [],
): number {
  let tokens = 2;
  for (const message of messages) {
    tokens += 4 + estimateTokens(message.content) + (message.name ? estimateTokens(message.name) : 0);
    for (const call of message.toolCalls ?? [])
      tokens += 4 + estimateTokens(call.name) + estimateTokens(call.arguments);
  }
  for (const tool of tools) tokens += 8 + estimateTokens(JSON.stringify(tool));
  return tokens;
}

/** The longest prefix of `text`, cut after a whole piece, whose estimate fits `maxTokens`. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  let tokens = 0;
  let end = 0;
  for (const match of text.matchAll(PIECE)) {
    const cost = pieceTokens(match[0]);
    if (tokens + cost > maxTokens) break;
    tokens += cost;
    end = match.index + match[0].length;
  }
  return text.slice(0, end);
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const PIECE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}\p{M}_]+|[^\s]/gu;

function* pieces(text: string): Generator<string> {
  for (const match of text.matchAll(PIECE)) yield match[0];
}

function pieceTokens(piece: string): number {
  if (CJK.test(piece)) return 1;
  if (/^[\p{L}\p{N}\p{M}_]+$/u.test(piece)) return Math.ceil([...piece].length / 6);
  return 1;
}
