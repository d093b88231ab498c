import { TRAINING_LIMITS } from './limits';

/** What the trainer taught so far that changes how the agent should answer. */
export interface GuidanceItem {
  kind: 'explain' | 'correct' | 'reject';
  /** The rationale, the corrected answer, or why the event was rejected. */
  text: string;
  /** The annotated event's type, e.g. training.conversation.turn. */
  targetType: string;
}

const ITEM_CHARS = 600;

/** The system prompt of an empty persona, until the trainer shapes it. */
export function emptyPersonaPrompt(name: string): string {
  return `You are ${name}, a new persona being trained. Answer helpfully and say when you do not know.`;
}

/**
 * The draft prompt: the base's system prompt plus what the trainer has explained, corrected or
 * rejected so far (newest last, bounded), so the agent's next answers follow the training.
 */
export function draftPrompt(basePrompt: string, guidance: readonly GuidanceItem[]): string {
  const items = guidance.slice(-TRAINING_LIMITS.guidanceItems);
  if (items.length === 0) return basePrompt;
  const lines = items.map((item) => `- ${describe(item)}`);
  return `${basePrompt}\n\nGuidance from your trainer in this session (newest last):\n${lines.join('\n')}`;
}

function describe(item: GuidanceItem): string {
  const text = clip(item.text.replace(/\s+/g, ' ').trim());
  switch (item.kind) {
    case 'explain':
      return text;
    case 'correct':
      return `A better answer, as the trainer corrected it: ${text}`;
    case 'reject':
      return `Do not repeat what the trainer rejected (${item.targetType}): ${text}`;
  }
}

function clip(text: string): string {
  return text.length <= ITEM_CHARS ? text : `${text.slice(0, ITEM_CHARS - 1)}…`;
}
