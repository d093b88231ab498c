import type { FinishReason } from '@personae/models';

/**
 * Whether an answer declines: a provider's content filter, or the usual ways of saying no. The offline
 * responder's "I cannot answer it" counts, honestly: it did not answer.
 */
const REFUSAL =
  /\b(I|we) (cannot|can't|can not|won't|will not|am unable to|are unable to|must decline to|am not able to)\b|\b(I'm|I am) (sorry, but|unable|not able)\b|\bI (must|have to) (decline|refuse)\b|\bnot (something )?I can (help|assist) with\b/i;

export function isRefusal(answer: { content: string; finishReason: FinishReason }): boolean {
  return answer.finishReason === 'content_filter' || REFUSAL.test(answer.content);
}
