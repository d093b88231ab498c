import type { PersonaPack, ProvenanceChange } from '@personae/pack';
import type { LearnedRule } from './prompt-rules';
import type { Contradiction, Finding } from './session-timeline';
import type { ModelStats } from './model-overrides';
import type { ToolUsage } from './tool-usage';

export interface SummaryFacts {
  sessionId: string;
  baseRef?: string;
  counts: { turns: number; toolRuns: number; annotations: number; attachments: number };
  rules: readonly LearnedRule[];
  examplesAdded: number;
  whitelisted: readonly string[];
  unapproved: readonly ToolUsage[];
  blocked: readonly string[];
  knowledge?: { snapshot: string; chunks: number; sources: number; skipped: number };
  models: readonly ModelStats[];
  pack: PersonaPack;
  changes: readonly ProvenanceChange[];
  contradictions: readonly Contradiction[];
  findings: readonly Finding[];
  empty: boolean;
}

/** The human-readable account a reviewer reads first: what changed, from what, and what to check. */
export function summarize(facts: SummaryFacts): string {
  const { counts } = facts;
  const lines = [
    `Draft of ${facts.pack.metadata.name} from training session ${facts.sessionId}${facts.baseRef ? `, based on ${facts.baseRef}` : ' (new persona)'}.`,
    `Session: ${counts.turns} turn(s), ${counts.toolRuns} tool run(s), ${counts.annotations} annotation(s), ${counts.attachments} attachment(s).`,
  ];
  if (facts.empty) {
    lines.push(
      'The session held nothing usable (no approved, corrected or explained answers, no approved tools, no attachments): the draft keeps the base unchanged.',
    );
  } else {
    lines.push(
      `${facts.changes.length} change(s), each traced to its training events in provenance.changes:`,
    );
    if (facts.rules.length > 0)
      lines.push(
        `- ${facts.rules.length} rule(s) added to the system prompt (${countBy(facts.rules.map((r) => r.source))}).`,
      );
    if (facts.examplesAdded > 0)
      lines.push(`- ${facts.examplesAdded} few-shot example(s) added or replaced.`);
    if (facts.whitelisted.length > 0)
      lines.push(`- Tools whitelisted or updated: ${facts.whitelisted.join(', ')}.`);
    if (facts.blocked.length > 0) lines.push(`- Blocked actions added: ${facts.blocked.join(', ')}.`);
    if (facts.knowledge)
      lines.push(
        `- Knowledge snapshot ${facts.knowledge.snapshot}: ${facts.knowledge.chunks} chunk(s) from ${facts.knowledge.sources} source(s)${facts.knowledge.skipped ? `, ${facts.knowledge.skipped} source(s) skipped` : ''}.`,
      );
  }
  if (facts.unapproved.length > 0)
    lines.push(
      `Tools used but not approved (not added): ${facts.unapproved.map((u) => `${u.tool} (${u.runs.length}×)`).join(', ')}.`,
    );
  for (const model of facts.models)
    lines.push(
      `Model ${model.model}: ${model.turns} answer(s), ${model.bad} corrected or rejected, cost ${round(model.costTotal)} USD, latency p50 ${model.latencyP50} ms / p95 ${model.latencyP95} ms.`,
    );
  if (facts.contradictions.length > 0) {
    lines.push(`${facts.contradictions.length} contradiction(s) between annotations, to check:`);
    for (const c of facts.contradictions.slice(0, 20))
      lines.push(`- ${c.description} (annotations ${c.annotations.join(', ')})`);
  }
  if (facts.findings.length > 0) {
    lines.push(`${facts.findings.length} note(s):`);
    for (const f of facts.findings.slice(0, 20)) lines.push(`- ${f.message}`);
  }
  return lines.join('\n');
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${n} from ${k}`).join(', ');
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
