import { validatePack, type PersonaPack } from '@personae/pack';
import type { DraftSynthesis } from '../domain/synthesize-draft';
import { eventIds } from '../domain/text';
import type { PromptRewrite } from '../store/runs.store';

/**
 * The pack saved as the draft: the deterministic one, or — when a model rewrote the prompt — the same
 * pack with the rewritten system prompt and one provenance entry marked `llm` saying so.
 */
export function finalPack(
  result: DraftSynthesis,
  rewrite: PromptRewrite | { none: true } | null | undefined,
): PersonaPack {
  if (!rewrite || !('system' in rewrite) || rewrite.system === result.pack.spec.prompt.system)
    return result.pack;
  const ruleEvents = result.changes.filter((c) => c.path === '/spec/prompt/system').flatMap((c) => c.events);
  const provenance = result.pack.provenance ?? { trainingSessions: [], changes: [] };
  const changes = [
    ...provenance.changes,
    {
      path: '/spec/prompt/system',
      reason: `Rewritten for fluency by model ${rewrite.model}; the deterministic prompt stays available from the synthesis pipeline`,
      events: eventIds(ruleEvents),
      origin: 'llm' as const,
    },
  ].slice(-1000);
  return validatePack({
    ...result.pack,
    spec: { ...result.pack.spec, prompt: { ...result.pack.spec.prompt, system: rewrite.system } },
    provenance: { ...provenance, changes },
  });
}
