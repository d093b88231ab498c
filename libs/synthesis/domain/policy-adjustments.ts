import { actionMatches, type PolicyHooks, type ProvenanceChange, type ToolSpec } from '@personae/pack';
import { eventIds } from './text';
import type { ToolUsage } from './tool-usage';

const MAX_ACTIONS = 200;

/**
 * Tools the trainer rejected become blocked actions (blocking wins over any allow-list entry, which
 * is dropped when it names exactly that tool). When the base keeps an allow-list, tools newly added
 * to the whitelist are allowed explicitly, or the pack's own policy would forbid them.
 */
export function adjustPolicy(
  base: PolicyHooks,
  usage: readonly ToolUsage[],
  tools: readonly ToolSpec[],
  baseTools: readonly ToolSpec[],
  denied: ReadonlyMap<string, readonly string[]> = new Map(),
): { policy: PolicyHooks; changes: ProvenanceChange[] } {
  const blockedActions = [...base.blockedActions];
  let allowedActions = [...base.allowedActions];
  const changes: ProvenanceChange[] = [];
  const allowedBefore = allowedActions.length;
  for (const [tool, decisions] of denied) {
    allowedActions = allowedActions.filter((pattern) => pattern !== tool);
    if (
      blockedActions.some((pattern) => actionMatches(pattern, tool)) ||
      blockedActions.length >= MAX_ACTIONS
    )
      continue;
    blockedActions.push(tool);
    changes.push({
      path: `/spec/policy/blockedActions/${blockedActions.length - 1}`,
      reason: `Governance denied ${tool} ${decisions.length} time(s) in training: it is now a blocked action of the persona`,
      events: eventIds([...decisions]),
      origin: 'deterministic',
    });
  }
  for (const session of usage) {
    if (session.rejectedBy.length === 0) continue;
    allowedActions = allowedActions.filter((pattern) => pattern !== session.tool);
    if (blockedActions.some((pattern) => actionMatches(pattern, session.tool))) continue;
    if (blockedActions.length >= MAX_ACTIONS) continue;
    blockedActions.push(session.tool);
    changes.push({
      path: `/spec/policy/blockedActions/${blockedActions.length - 1}`,
      reason: `The trainer rejected ${session.rejectedBy.filter((id) => session.runs.some((r) => r.id === id)).length} run(s) of ${session.tool}: it is now a blocked action`,
      events: eventIds(session.rejectedBy),
      origin: 'deterministic',
    });
  }
  if (allowedActions.length < allowedBefore || allowedActions.length < base.allowedActions.length)
    changes.push({
      path: '/spec/policy/allowedActions',
      reason: 'Tools rejected or denied in training are no longer allowed explicitly',
      events: eventIds([...[...denied.values()].flat(), ...usage.flatMap((u) => u.rejectedBy)]),
      origin: 'deterministic',
    });
  if (base.allowedActions.length > 0) {
    const baseNames = new Set(baseTools.map((t) => t.name));
    for (const tool of tools) {
      if (baseNames.has(tool.name) || allowedActions.some((p) => actionMatches(p, tool.name))) continue;
      if (allowedActions.length >= MAX_ACTIONS) continue;
      allowedActions.push(tool.name);
      const session = usage.find((u) => u.tool === tool.name);
      changes.push({
        path: `/spec/policy/allowedActions/${allowedActions.length - 1}`,
        reason: `Allows ${tool.name}, added to the whitelist from training (the base keeps an allow-list)`,
        events: eventIds(session?.approvedBy ?? []),
        origin: 'deterministic',
      });
    }
  }
  return { policy: { ...base, allowedActions, blockedActions }, changes };
}
