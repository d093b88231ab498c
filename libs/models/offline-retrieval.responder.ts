import type {
  FinishReason,
  KnowledgePassage,
  ModelChunk,
  ModelProvider,
  ModelRequest,
  ModelResponse,
} from './model-provider.port';
import { ModelAbortedError, ModelRequestError } from './model-errors';
import { rankSentences } from './lexical-ranking';
import { estimateMessagesTokens, estimateTokens, truncateToTokens } from './token-estimate';

export const OFFLINE_RETRIEVAL = 'offline-retrieval';

/** Said first in every answer: nobody should mistake quotes for a model's reasoning. */
export const OFFLINE_DISCLAIMER =
  "I am the offline retrieval responder, not a language model: I can only quote this persona's knowledge.";
export const NOTHING_RELEVANT =
  "I found nothing in this persona's knowledge about that, so I cannot answer it.";

const MAX_QUOTES = 3;
const MAX_PASSAGES = 2000;
const MAX_PASSAGE_CHARS = 100_000;

/**
 * The default provider when no model endpoint is configured. It answers the last user message
 * from `request.context.passages` alone, by extraction: sentences ranked by BM25 against the
 * question (`lexical-ranking.ts`), the best one and up to two more scoring at least half as well,
 * each quoted with its source. A sentence counts only if it contains at least a third of the
 * question's terms (one, for short questions). Deterministic, no tool calls, usage estimated.
 * `maxTokens` bounds the quotes; the one-line disclaimer is always said whole.
 */
export class OfflineRetrievalResponder implements ModelProvider {
  readonly name = OFFLINE_RETRIEVAL;

  async complete(request: ModelRequest): Promise<ModelResponse> {
    if (request.signal?.aborted) throw new ModelAbortedError(this.name);
    const passages = checkedPassages(request.context?.passages);
    const question = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const { content, finishReason } = answer(question, passages, request.maxTokens);
    return {
      model: OFFLINE_RETRIEVAL,
      provider: this.name,
      content,
      toolCalls: [],
      finishReason,
      usage: {
        promptTokens:
          estimateMessagesTokens(request.messages) + passages.reduce((n, p) => n + estimateTokens(p.text), 0),
        completionTokens: estimateTokens(content),
        estimated: true,
      },
    };
  }

  /** The same text as `complete`, in chunks of a few words. */
  async *stream(request: ModelRequest): AsyncGenerator<ModelChunk> {
    const response = await this.complete(request);
    const words = response.content.match(/\s*\S+\s*/g) ?? [];
    for (let i = 0; i < words.length; i += 6) {
      if (request.signal?.aborted) throw new ModelAbortedError(this.name);
      yield { type: 'content', text: words.slice(i, i + 6).join('') };
    }
    yield { type: 'done', response };
  }
}

function answer(
  question: string,
  passages: readonly KnowledgePassage[],
  maxTokens: number | undefined,
): { content: string; finishReason: FinishReason } {
  const { ranked, queryTerms } = rankSentences(
    question,
    passages.map((p) => p.text),
  );
  const needed = Math.max(1, Math.ceil(queryTerms / 3));
  const relevant = ranked.filter((s) => s.matched >= needed);
  const best = relevant[0];
  const seen = new Set<string>();
  const quotes: string[] = [];
  for (const sentence of relevant) {
    if (!best || quotes.length === MAX_QUOTES || sentence.score < best.score / 2) break;
    if (seen.has(sentence.text)) continue;
    seen.add(sentence.text);
    const passage = passages[sentence.passageIndex]!;
    quotes.push(`- "${sentence.text}" [${passage.source ?? passage.id}]`);
  }
  const body = quotes.length > 0 ? `From this persona's knowledge:\n${quotes.join('\n')}` : NOTHING_RELEVANT;
  const head = `${OFFLINE_DISCLAIMER}\n\n`;
  if (maxTokens === undefined || estimateTokens(head + body) <= maxTokens)
    return { content: head + body, finishReason: 'stop' };
  const room = maxTokens - estimateTokens(head);
  const cut = truncateToTokens(body, room - 1).trimEnd();
  return { content: cut ? `${head}${cut}…` : OFFLINE_DISCLAIMER, finishReason: 'length' };
}

function checkedPassages(passages: unknown): KnowledgePassage[] {
  if (passages === undefined) return [];
  if (!Array.isArray(passages) || passages.length > MAX_PASSAGES)
    throw new ModelRequestError(`context.passages must be an array of at most ${MAX_PASSAGES} passages`);
  return passages.map((raw, i) => {
    const p = raw as Partial<KnowledgePassage> | null;
    if (
      !p ||
      typeof p.id !== 'string' ||
      typeof p.text !== 'string' ||
      (p.source !== undefined && typeof p.source !== 'string')
    )
      throw new ModelRequestError(`context.passages[${i}] needs a string id and text`);
    return { id: p.id, text: p.text.slice(0, MAX_PASSAGE_CHARS), ...(p.source ? { source: p.source } : {}) };
  });
}
