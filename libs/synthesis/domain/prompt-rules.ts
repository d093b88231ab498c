import type { ProvenanceChange } from '@personae/pack';
import type { SessionEvent } from './session-event';
import { finding, type Finding, type SessionTimeline } from './session-timeline';
import { clip, eventIds, questionKey } from './text';

/** A rule learned from the trainer, in the words it goes into the prompt with. */
export interface LearnedRule {
  text: string;
  /** What it came from: a correction, an explanation or a rejected answer. */
  source: 'correct' | 'explain' | 'reject';
  events: string[];
}

export const MAX_RULES = 100;
const MAX_RULE_LENGTH = 600;
const MAX_SYSTEM_LENGTH = 32000;
export const RULES_HEADING = 'Rules learned in training';

/**
 * Corrections, explanations and rejected answers become explicit rules, one line each, in the order
 * the trainer gave them. The same rule stated twice is kept once, citing both annotations.
 */
export function learnedRules(timeline: SessionTimeline): { rules: LearnedRule[]; findings: Finding[] } {
  const candidates: LearnedRule[] = [];
  for (const annotation of timeline.annotations) {
    const target = timeline.resolve(annotation.target);
    if (!target) continue;
    if (
      annotation.annotationKind === 'explain' &&
      timeline.explanations.get(target.id)?.includes(annotation)
    ) {
      candidates.push({
        text: withContext(annotation.rationale, timeline, target),
        source: 'explain',
        events: eventIds([annotation.id, target.id]),
      });
      continue;
    }
    const verdict = timeline.verdicts.get(target.id);
    // Only the verdict that stands becomes a rule; what it overrode is reported as a contradiction.
    if (verdict?.annotation !== annotation || target.kind !== 'turn' || target.role === 'trainer') continue;
    const question = timeline.questionOf(target);
    const asked = question ? `When asked "${clip(question.content, 160)}", ` : '';
    const why = annotation.rationale.trim() ? ` Why: ${clip(annotation.rationale, 200)}` : '';
    if (verdict.kind === 'correct')
      candidates.push({
        text: `${asked}answer: "${clip(annotation.correctedAnswer, 280)}" (not: "${clip(target.content, 120)}").${why}`,
        source: 'correct',
        events: eventIds([annotation.id, target.id, question?.id ?? '']),
      });
    else if (verdict.kind === 'reject')
      candidates.push({
        text: `${asked}never answer like this: "${clip(target.content, 280)}".${why}`,
        source: 'reject',
        events: eventIds([annotation.id, target.id, question?.id ?? '']),
      });
  }
  return dedupe(candidates);
}

function withContext(rationale: string, timeline: SessionTimeline, target: SessionEvent): string {
  const text = clip(rationale, 400);
  if (target.kind === 'tool') return `About the tool ${target.tool}: ${text}`;
  if (target.kind === 'turn') {
    const question = target.role === 'trainer' ? target : timeline.questionOf(target);
    if (question) return `${text} (on "${clip(question.content, 120)}")`;
  }
  return text;
}

function dedupe(candidates: LearnedRule[]): { rules: LearnedRule[]; findings: Finding[] } {
  const byKey = new Map<string, LearnedRule>();
  for (const rule of candidates) {
    const text = clip(rule.text, MAX_RULE_LENGTH);
    const key = questionKey(text);
    const existing = byKey.get(key);
    if (existing) existing.events = eventIds([...existing.events, ...rule.events]);
    else byKey.set(key, { ...rule, text });
  }
  const rules = [...byKey.values()];
  const findings: Finding[] = [];
  if (rules.length > MAX_RULES) {
    const dropped = rules.splice(MAX_RULES);
    findings.push({
      code: 'rules-capped',
      message: `${dropped.length} rule(s) beyond the first ${MAX_RULES} were left out of the prompt`,
      events: eventIds(dropped.flatMap((r) => r.events)),
    });
  }
  return { rules, findings };
}

/**
 * The base system prompt with the session's rules appended as a numbered section; one provenance
 * entry per rule on `/spec/prompt/system`, so the reviewer sees each rule next to its evidence.
 */
export function applyRules(
  baseSystem: string,
  rules: readonly LearnedRule[],
  sessionId: string,
): { system: string; changes: ProvenanceChange[]; findings: Finding[] } {
  if (rules.length === 0) return { system: baseSystem, changes: [], findings: [] };
  const heading = `\n\n## ${RULES_HEADING} (session ${sessionId})\n`;
  let system = baseSystem.trimEnd() + heading;
  const changes: ProvenanceChange[] = [];
  const findings: Finding[] = [];
  rules.forEach((rule, index) => {
    const line = `${index + 1}. ${rule.text}\n`;
    if (system.length + line.length > MAX_SYSTEM_LENGTH) {
      findings.push(
        finding(
          'prompt-full',
          `rule ${index + 1} does not fit in the system prompt; left out`,
          ...rule.events.map((id) => ({ id })),
        ),
      );
      return;
    }
    system += line;
    changes.push({
      path: '/spec/prompt/system',
      reason: `Rule ${index + 1} from ${SOURCE_WORDS[rule.source]}: ${clip(rule.text, 300)}`,
      events: rule.events,
      origin: 'deterministic',
    });
  });
  return { system: system.trimEnd(), changes, findings };
}

const SOURCE_WORDS: Record<LearnedRule['source'], string> = {
  correct: "the trainer's correction of an answer",
  explain: "the trainer's explanation",
  reject: 'an answer the trainer rejected',
};
