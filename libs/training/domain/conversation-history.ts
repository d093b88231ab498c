import type { ChatMessage, KnowledgePassage } from '@personae/models';
import { TRAINING_LIMITS } from './limits';

/** A recorded turn as the agent's memory needs it. */
export interface RecordedTurn {
  eventId: string;
  role: 'trainer' | 'agent';
  content: string;
  /** The trainer's latest correction of this (agent) turn, if any. */
  correctedAnswer?: string;
}

/**
 * The conversation the agent sees: trainer turns as the user, agent turns as the assistant — with the
 * trainer's correction in place of what the agent said, so the agent learns from it, not its mistake.
 */
export function historyMessages(turns: readonly RecordedTurn[]): ChatMessage[] {
  return turns
    .slice(-TRAINING_LIMITS.historyTurns)
    .map((turn) =>
      turn.role === 'trainer'
        ? { role: 'user', content: turn.content }
        : { role: 'assistant', content: turn.correctedAnswer ?? turn.content },
    );
}

/** Examples of the base pack: knowledge the offline responder can quote, and a language model can use. */
export interface Example {
  input: string;
  output: string;
}

/**
 * Knowledge for the next answer: the trainer's corrected answers (newest first, they are what the
 * trainer wants said) and the base pack's examples.
 */
export function trainingPassages(
  turns: readonly RecordedTurn[],
  examples: readonly Example[],
): KnowledgePassage[] {
  const corrections = turns
    .filter((turn) => turn.correctedAnswer !== undefined)
    .reverse()
    .map((turn) => ({
      id: `correction:${turn.eventId}`,
      text: turn.correctedAnswer!,
      source: 'trainer correction',
    }));
  const fromExamples = examples.map((example, i) => ({
    id: `example:${i + 1}`,
    text: `${example.input}\n${example.output}`,
    source: 'base persona example',
  }));
  return [...corrections, ...fromExamples];
}
