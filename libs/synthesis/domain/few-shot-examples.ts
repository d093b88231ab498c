import type { FewShotExample, ProvenanceChange } from '@personae/pack';
import type { AnnotationEvent, TurnEvent } from './session-event';
import type { Contradiction, Finding, SessionTimeline } from './session-timeline';
import { bound, clip, eventIds, questionKey } from './text';

/** Examples one session may add; the pack holds at most 50 in all. */
export const MAX_SESSION_EXAMPLES = 20;
const MAX_PACK_EXAMPLES = 50;

interface Candidate {
  example: FewShotExample;
  key: string;
  corrected: boolean;
  annotation: AnnotationEvent;
  events: string[];
}

export interface ExamplesResult {
  examples: FewShotExample[];
  changes: ProvenanceChange[];
  contradictions: Contradiction[];
  findings: Finding[];
}

/**
 * Approved exchanges (question + approved answer) and corrected ones (question + corrected answer)
 * become few-shot examples. One question keeps one example: when the trainer endorsed two different
 * answers to it, that is reported and the later one is kept. Corrections rank before approvals (they
 * teach what the model got wrong), then session order; the rest past the cap is reported.
 */
export function fewShotExamples(
  timeline: SessionTimeline,
  base: readonly FewShotExample[],
  sessionId: string,
): ExamplesResult {
  const byQuestion = new Map<string, Candidate[]>();
  for (const [targetId, verdict] of timeline.verdicts) {
    if (verdict.kind !== 'approve' && verdict.kind !== 'correct') continue;
    const turn = timeline.resolve(targetId);
    if (turn?.kind !== 'turn' || turn.role === 'trainer') continue;
    const question = timeline.questionOf(turn);
    if (!question || !question.content.trim()) continue;
    const answer = verdict.kind === 'correct' ? verdict.annotation.correctedAnswer : turn.content;
    if (!answer.trim()) continue;
    const candidate = toCandidate(
      question,
      turn,
      verdict.annotation,
      answer,
      verdict.kind === 'correct',
      sessionId,
    );
    const list = byQuestion.get(candidate.key) ?? [];
    list.push(candidate);
    byQuestion.set(candidate.key, list);
  }

  const contradictions: Contradiction[] = [];
  const chosen: Candidate[] = [];
  for (const list of byQuestion.values()) {
    list.sort((a, b) => order(a.annotation, b.annotation));
    const last = list[list.length - 1]!;
    const differing = list.filter((c) => c.example.output !== last.example.output);
    if (differing.length > 0)
      contradictions.push({
        target: last.events[1] ?? last.annotation.id,
        annotations: list.map((c) => c.annotation.id),
        description: `different answers were endorsed for the same question "${clip(last.example.input, 80)}"; the latest is kept as the example`,
      });
    chosen.push({ ...last, events: eventIds(list.flatMap((c) => c.events)) });
  }
  chosen.sort((a, b) =>
    a.corrected === b.corrected ? order(a.annotation, b.annotation) : a.corrected ? -1 : 1,
  );

  const findings: Finding[] = [];
  const baseKeys = new Map(base.map((example, index) => [questionKey(example.input), index]));
  const examples = [...base];
  const room = Math.min(MAX_SESSION_EXAMPLES, MAX_PACK_EXAMPLES);
  const pending: { candidate: Candidate; replaces?: number }[] = [];
  let added = 0;
  const dropped: Candidate[] = [];
  for (const candidate of chosen) {
    const replaces = baseKeys.get(candidate.key);
    if (replaces === undefined && (added >= room || base.length + added >= MAX_PACK_EXAMPLES)) {
      dropped.push(candidate);
      continue;
    }
    if (replaces === undefined) added += 1;
    pending.push({ candidate, replaces });
  }
  if (dropped.length > 0)
    findings.push({
      code: 'examples-capped',
      message: `${dropped.length} endorsed exchange(s) beyond the cap of ${room} new examples were not added`,
      events: eventIds(dropped.map((c) => c.annotation.id)),
    });

  const changes: ProvenanceChange[] = [];
  for (const { candidate, replaces } of pending) {
    const index = replaces ?? examples.length;
    const replaced = replaces !== undefined && examples[replaces]!.output !== candidate.example.output;
    if (replaces !== undefined && !replaced) continue;
    examples[index] = candidate.example;
    changes.push({
      path: `/spec/prompt/examples/${index}`,
      reason: `${replaced ? 'Replaces the example for' : 'Example for'} "${clip(candidate.example.input, 120)}": ${candidate.corrected ? "the trainer's corrected answer" : 'an answer the trainer approved'}`,
      events: candidate.events,
      origin: 'deterministic',
    });
  }
  return { examples, changes, contradictions, findings };
}

function toCandidate(
  question: TurnEvent,
  answerTurn: TurnEvent,
  annotation: AnnotationEvent,
  answer: string,
  corrected: boolean,
  sessionId: string,
): Candidate {
  return {
    example: {
      input: bound(question.content, 8000),
      output: bound(answer, 16000),
      note: clip(`${corrected ? 'Corrected' : 'Approved'} in training session ${sessionId}`, 1000),
    },
    key: questionKey(question.content),
    corrected,
    annotation,
    events: eventIds([annotation.id, answerTurn.id, question.id]),
  };
}

function order(a: { at: string; id: string }, b: { at: string; id: string }): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
