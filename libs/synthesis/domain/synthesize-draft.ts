import { TOOL_NAME, validatePack, type PersonaPack, type ProvenanceChange } from '@personae/pack';
import { fewShotExamples } from './few-shot-examples';
import type { SessionSnapshot } from './knowledge-sources';
import { modelOverrides, modelStats } from './model-overrides';
import { adjustPolicy } from './policy-adjustments';
import { applyRules, learnedRules } from './prompt-rules';
import type { SessionEvent } from './session-event';
import { buildTimeline, type Contradiction, type Finding } from './session-timeline';
import { summarize } from './summary';
import { clip, eventIds } from './text';
import { toolBundle } from './tool-heuristics';
import { toolUsage } from './tool-usage';

const MAX_CHANGES = 1000;

export interface SynthesisInput {
  sessionId: string;
  /** The persona the session trained (SessionStarted.persona_name). */
  personaName: string;
  /** The sealed version the session started from, or none for a new persona. */
  base?: { ref: string; pack: PersonaPack };
  /** The session's events, in any order. */
  events: readonly SessionEvent[];
  /** The knowledge step's result, when the session had sources and it ran. */
  snapshot?: SessionSnapshot;
  /** Sources the knowledge step would use, by id, to cite their events. */
  sourceEvents?: ReadonlyMap<string, readonly string[]>;
  /** What the caller knows that the events do not say (e.g. events that never arrived). */
  notes?: readonly Finding[];
}

export interface DraftSynthesis {
  pack: PersonaPack;
  changes: ProvenanceChange[];
  summary: string;
  contradictions: Contradiction[];
  findings: Finding[];
  /** True when the session held nothing usable; the draft says so. */
  empty: boolean;
}

/**
 * A closed session's events (and its base pack) → the draft pack with provenance, a summary, the
 * contradictions and findings. Pure and deterministic: same input, same output, byte for byte — no
 * clock, no randomness, every order fixed by the events themselves.
 */
export function synthesizeDraft(input: SynthesisInput): DraftSynthesis {
  const timeline = buildTimeline(input.events);
  const base = input.base?.pack ?? emptyPack(input.personaName);
  const findings: Finding[] = [...(input.notes ?? []), ...timeline.findings];
  const contradictions: Contradiction[] = [...timeline.contradictions];
  const changes: ProvenanceChange[] = [];

  const { rules, findings: ruleFindings } = learnedRules(timeline);
  const prompt = applyRules(base.spec.prompt.system, rules, input.sessionId);
  const examples = fewShotExamples(timeline, base.spec.prompt.examples, input.sessionId);
  const usage = toolUsage(timeline);
  const denied = deniedTools(timeline);
  const bundle = toolBundle(base.spec.tools, usage.usage, new Set(denied.keys()));
  const policy = adjustPolicy(base.spec.policy, usage.usage, bundle.tools, base.spec.tools, denied);
  const stats = modelStats(timeline);
  findings.push(...ruleFindings, ...prompt.findings, ...examples.findings, ...usage.findings);
  contradictions.push(...examples.contradictions, ...usage.contradictions);
  changes.push(...prompt.changes, ...examples.changes, ...bundle.changes, ...policy.changes);

  const knowledge = [...base.spec.knowledge];
  const snapshot = input.snapshot;
  const ref = snapshot?.ref && snapshot.ref.chunks > 0 ? snapshot.ref : undefined;
  if (snapshot && ref) {
    const existing = knowledge.findIndex((k) => k.snapshot === ref.snapshot);
    const index = existing === -1 ? knowledge.length : existing;
    knowledge[index] = ref;
    for (const source of snapshot.sources)
      changes.push({
        path: `/spec/knowledge/${index}`,
        reason: `Knowledge snapshot ${ref.snapshot} (${ref.manifestDigest.slice(0, 19)}…) holds chunks of ${source === '' ? 'a source' : `source ${source}`}`,
        events: eventIds([...(input.sourceEvents?.get(source) ?? [source])]),
        origin: 'deterministic',
      });
  }
  for (const skipped of snapshot?.skipped ?? [])
    findings.push({
      code: 'knowledge-skipped',
      message: `source ${skipped.source} not added to knowledge: ${skipped.reason}`,
      events: [skipped.source],
    });

  // Telemetry alone is no lesson: model preferences change only when the trainer taught something.
  const empty = changes.length === 0;
  const models = empty
    ? { models: base.spec.models, changes: [], findings: [] }
    : modelOverrides(base.spec.models, stats);
  changes.push(...models.changes);
  findings.push(...models.findings);
  let description = base.metadata.description;
  if (empty) {
    description = clip(
      `Training session ${input.sessionId} held nothing usable; this draft is the base unchanged.${description ? ` ${description}` : ''}`,
      2000,
    );
    changes.push({
      path: '/metadata/description',
      reason:
        'The session had no approved, corrected or explained answers, no approved tools and no attachments',
      events: eventIds([timeline.started?.id ?? '', timeline.closed?.id ?? '']),
      origin: 'deterministic',
    });
  }
  if (changes.length > MAX_CHANGES) {
    const cut = changes.splice(MAX_CHANGES - 1);
    changes.push({
      path: '/spec',
      reason: `${cut.length + 1} further change(s) not itemized (provenance holds at most ${MAX_CHANGES})`,
      events: eventIds(cut.flatMap((c) => c.events)),
      origin: 'deterministic',
    });
  }

  const { version: _version, tenant: _tenant, createdBy: _createdBy, ...metadata } = base.metadata;
  const pack = validatePack({
    ...base,
    metadata: { ...metadata, description },
    spec: {
      ...base.spec,
      prompt: { ...base.spec.prompt, system: prompt.system, examples: examples.examples },
      tools: bundle.tools,
      knowledge,
      models: models.models,
      policy: policy.policy,
    },
    provenance: {
      ...(input.base ? { base: input.base.ref } : {}),
      trainingSessions: [input.sessionId],
      changes,
    },
  });
  const summary = summarize({
    sessionId: input.sessionId,
    baseRef: input.base?.ref,
    counts: {
      turns: timeline.turns.length,
      toolRuns: timeline.tools.length,
      annotations: timeline.annotations.length,
      attachments: timeline.attachments.length,
    },
    rules,
    examplesAdded: examples.changes.length,
    whitelisted: bundle.changes
      .map((c) => pack.spec.tools[Number(c.path.split('/')[3])]?.name ?? '')
      .filter(Boolean),
    unapproved: bundle.unapproved,
    blocked: policy.changes
      .filter((c) => c.path.startsWith('/spec/policy/blockedActions/'))
      .map((c) => pack.spec.policy.blockedActions[Number(c.path.split('/')[4])] ?? ''),
    knowledge:
      snapshot && ref
        ? {
            snapshot: ref.snapshot,
            chunks: ref.chunks,
            sources: snapshot.sources.length,
            skipped: snapshot.skipped.length,
          }
        : undefined,
    models: stats,
    pack,
    changes,
    contradictions,
    findings,
    empty,
  });
  return { pack, changes, summary, contradictions, findings, empty };
}

/** Tools governance denied during the session, with the decisions' event ids. */
function deniedTools(timeline: ReturnType<typeof buildTimeline>): Map<string, string[]> {
  const denied = new Map<string, string[]>();
  for (const decision of timeline.decisions) {
    if (decision.effect !== 'deny' || !TOOL_NAME_PATTERN.test(decision.tool) || decision.tool.length > 64)
      continue;
    denied.set(decision.tool, [...(denied.get(decision.tool) ?? []), decision.id]);
  }
  return denied;
}

const TOOL_NAME_PATTERN = new RegExp(TOOL_NAME);

/** The pack a new persona starts from: a name, a one-line system prompt, defaults for the rest. */
export function emptyPack(name: string): PersonaPack {
  const displayName = clip(
    name.replace(/[_-]+/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    100,
  );
  return validatePack({
    apiVersion: 'personae.dev/v1',
    kind: 'PersonaPack',
    metadata: { name, displayName },
    spec: { prompt: { system: `You are ${displayName}.` } },
  });
}
