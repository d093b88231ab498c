import { IDENTIFIER, type ModelPreferences, type ProvenanceChange } from '@personae/pack';
import type { TurnEvent } from './session-event';
import { finding, type Finding, type SessionTimeline } from './session-timeline';
import { compareText, eventIds } from './text';

const MODEL_ID = new RegExp(IDENTIFIER);
const MAX_FALLBACKS = 5;

export interface ModelStats {
  model: string;
  turns: number;
  /** Answers approved or left as they were. */
  good: number;
  /** Answers corrected or rejected. */
  bad: number;
  costTotal: number;
  maxCost: number;
  maxCostTurn?: string;
  latencyP50: number;
  latencyP95: number;
  maxTokensOut: number;
  maxTokensTurn?: string;
  goodTurns: string[];
}

/** Per model used for the agent's answers: how they were judged, what they cost, how fast they were. */
export function modelStats(timeline: SessionTimeline): ModelStats[] {
  const byModel = new Map<string, TurnEvent[]>();
  for (const turn of timeline.turns) {
    if (turn.role !== 'agent' || !turn.model || !MODEL_ID.test(turn.model) || turn.model.length > 200)
      continue;
    const list = byModel.get(turn.model) ?? [];
    list.push(turn);
    byModel.set(turn.model, list);
  }
  return [...byModel.entries()]
    .map(([model, turns]) => {
      const judged = turns.map((t) => timeline.verdicts.get(t.id)?.kind);
      const latencies = turns.map((t) => t.latencyMs).sort((a, b) => a - b);
      const costly = turns.reduce((max, t) => (t.cost > max.cost ? t : max), turns[0]!);
      const longest = turns.reduce((max, t) => (t.tokensOut > max.tokensOut ? t : max), turns[0]!);
      return {
        model,
        turns: turns.length,
        good: judged.filter((k) => k === undefined || k === 'approve').length,
        bad: judged.filter((k) => k === 'correct' || k === 'reject').length,
        costTotal: turns.reduce((sum, t) => sum + t.cost, 0),
        maxCost: costly.cost,
        maxCostTurn: costly.id,
        latencyP50: percentile(latencies, 0.5),
        latencyP95: percentile(latencies, 0.95),
        maxTokensOut: longest.tokensOut,
        maxTokensTurn: longest.id,
        goodTurns: turns.filter((t) => timeline.verdicts.get(t.id)?.kind === 'approve').map((t) => t.id),
      };
    })
    .sort((a, b) => compareText(a.model, b.model));
}

/**
 * Model preferences from telemetry and the trainer's verdicts. Only gaps are filled and limits only
 * raised where the session proves them too tight: a primary model when the base names none (the model
 * with the most accepted answers), faster accepted models as fallbacks, a per-request budget when the
 * base has none (1.5× the dearest answer). A base budget the session exceeded is reported, not raised.
 */
export function modelOverrides(
  base: ModelPreferences,
  stats: readonly ModelStats[],
): { models: ModelPreferences; changes: ProvenanceChange[]; findings: Finding[] } {
  const models: ModelPreferences = { ...base, fallback: [...base.fallback], budget: { ...base.budget } };
  const changes: ProvenanceChange[] = [];
  const findings: Finding[] = [];
  const accepted = stats.filter((s) => s.good > 0 && s.good >= s.bad);
  const ranked = [...accepted].sort(
    (a, b) =>
      b.good - a.good || a.costTotal / a.turns - b.costTotal / b.turns || compareText(a.model, b.model),
  );

  if (!models.primary && ranked[0]) {
    const best = ranked[0];
    models.primary = { model: best.model, temperature: 0.7, maxTokens: tokensFor(best.maxTokensOut) };
    changes.push({
      path: '/spec/models/primary',
      reason: `Primary model ${best.model}: ${best.good} of its ${best.turns} answers were accepted in training, the most of any model`,
      events: eventIds([...best.goodTurns, ...(best.maxTokensTurn ? [best.maxTokensTurn] : [])]),
      origin: 'deterministic',
    });
  } else if (models.primary) {
    const used = stats.find((s) => s.model === models.primary!.model);
    if (used && used.maxTokensOut > models.primary.maxTokens) {
      models.primary = { ...models.primary, maxTokens: tokensFor(used.maxTokensOut) };
      changes.push({
        path: '/spec/models/primary/maxTokens',
        reason: `An answer in training needed ${used.maxTokensOut} tokens, more than the limit; raised to ${models.primary.maxTokens}`,
        events: eventIds([used.maxTokensTurn ?? '']),
        origin: 'deterministic',
      });
    }
    if (used && used.bad > used.good)
      findings.push({
        code: 'primary-model-judged-poorly',
        message: `the primary model ${used.model} had ${used.bad} of ${used.turns} answers corrected or rejected`,
        events: [],
      });
  }

  const taken = new Set([models.primary?.model, ...models.fallback.map((f) => f.model)]);
  const faster = ranked
    .filter((s) => !taken.has(s.model))
    .sort((a, b) => a.latencyP95 - b.latencyP95 || compareText(a.model, b.model));
  for (const candidate of faster) {
    if (models.fallback.length >= MAX_FALLBACKS) break;
    models.fallback.push({
      model: candidate.model,
      temperature: 0.7,
      maxTokens: tokensFor(candidate.maxTokensOut),
    });
    changes.push({
      path: `/spec/models/fallback/${models.fallback.length - 1}`,
      reason: `Fallback ${candidate.model}: ${candidate.good} accepted answer(s) in training, p95 latency ${candidate.latencyP95} ms`,
      events: eventIds(candidate.goodTurns),
      origin: 'deterministic',
    });
  }

  const dearest = stats.reduce<ModelStats | undefined>(
    (max, s) => (!max || s.maxCost > max.maxCost ? s : max),
    undefined,
  );
  if (dearest && dearest.maxCost > 0) {
    const limit = models.budget.maxCostPerRequest;
    if (limit === undefined) {
      const proposed = Math.min(10000, Math.ceil(dearest.maxCost * 1.5 * 10000) / 10000);
      const day = models.budget.maxCostPerDay;
      if (day === undefined || proposed <= day) {
        models.budget.maxCostPerRequest = proposed;
        changes.push({
          path: '/spec/models/budget/maxCostPerRequest',
          reason: `Per-request budget ${proposed} USD: 1.5× the dearest answer in training (${dearest.maxCost} USD, ${dearest.model})`,
          events: eventIds([dearest.maxCostTurn ?? '']),
          origin: 'deterministic',
        });
      }
    } else if (dearest.maxCost > limit)
      findings.push(
        finding(
          'budget-exceeded',
          `an answer in training cost ${dearest.maxCost} USD, above the per-request budget of ${limit} USD (not raised)`,
          { id: dearest.maxCostTurn ?? '' },
        ),
      );
  }
  return { models, changes, findings };
}

/** The next power of two at or above the longest answer (at least 256), capped by the schema. */
function tokensFor(longest: number): number {
  let tokens = 256;
  while (tokens < longest && tokens < 1000000) tokens *= 2;
  return Math.min(tokens, 1000000);
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
