import type { ProvenanceChange, ToolInputSchema, ToolSpec } from '@personae/pack';
import { clip, eventIds } from './text';
import type { ToolUsage } from './tool-usage';

const MAX_HEURISTICS = 50;
const MAX_TOOLS = 64;

/** Rules of thumb from one tool's runs: what it was used for, how often it worked, typical arguments, failures. */
export function heuristicsOf(usage: ToolUsage): string[] {
  const total = usage.runs.length;
  const lines: string[] = [];
  if (usage.purposes.length > 0)
    lines.push(
      `Used ${total}× in training, for: ${usage.purposes
        .slice(0, 3)
        .map((p) => `"${clip(p.text, 90)}"`)
        .join('; ')}.`,
    );
  const rejected = usage.runs.filter((r) => r.status === 'rejected').length;
  const rate = total === 0 ? 0 : Math.round((usage.succeeded / total) * 100);
  lines.push(
    `Success rate ${rate}% (${usage.succeeded}/${total})${usage.failed ? `, ${usage.failed} failed` : ''}${rejected ? `, ${rejected} refused` : ''}.`,
  );
  if (usage.arguments.length > 0)
    lines.push(
      `Typical arguments: ${usage.arguments
        .slice(0, 6)
        .map(
          (a) =>
            `${a.name} (${a.seen === total ? 'always' : `${a.seen}/${total}`}, ${a.type}${a.usual ? `, usually ${a.usual}` : ''})`,
        )
        .join('; ')}.`,
    );
  if (usage.failures.length > 0)
    lines.push(
      `Failures seen: ${usage.failures
        .slice(0, 3)
        .map((f) => `"${f.error}" ×${f.count}`)
        .join('; ')}.`,
    );
  for (const explanation of usage.explanations) lines.push(`Trainer: ${explanation.text}`);
  return lines.map((line) => clip(line, 500));
}

/** The events behind a tool's heuristics: its runs, their purposes, the trainer's annotations. */
export function heuristicEvents(usage: ToolUsage): string[] {
  return eventIds([
    ...usage.approvedBy,
    ...usage.explanations.map((e) => e.event),
    ...usage.failures.flatMap((f) => f.events),
    ...usage.runs.map((r) => r.id),
  ]);
}

/** The argument schema the runs imply: each argument's usual type; required when every run passed it. */
export function inferredInputSchema(usage: ToolUsage): ToolInputSchema {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const argument of usage.arguments.slice(0, 100))
    properties[argument.name] = { type: argument.type === 'null' ? 'string' : argument.type };
  const parsedRuns = usage.arguments.length === 0 ? 0 : Math.max(...usage.arguments.map((a) => a.seen));
  const required = usage.arguments
    .filter((a) => a.seen === parsedRuns && parsedRuns === usage.runs.length)
    .map((a) => a.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

export interface ToolBundle {
  tools: ToolSpec[];
  changes: ProvenanceChange[];
  /** Tools used but neither approved nor rejected: not added, reported. */
  unapproved: ToolUsage[];
}

/**
 * The tool whitelist: the base's tools, plus every tool the trainer approved a run of, each with the
 * session's heuristics; tools with a rejected run are left out (they become blocked actions).
 */
export function toolBundle(
  base: readonly ToolSpec[],
  usage: readonly ToolUsage[],
  denied: ReadonlySet<string> = new Set(),
): ToolBundle {
  const rejected = new Set([...denied, ...usage.filter((u) => u.rejectedBy.length > 0).map((u) => u.tool)]);
  const byName = new Map(usage.map((u) => [u.tool, u]));
  const tools: ToolSpec[] = [];
  const changes: ProvenanceChange[] = [];
  for (const tool of base) {
    if (rejected.has(tool.name)) continue;
    const session = byName.get(tool.name);
    if (!session) {
      tools.push(tool);
      continue;
    }
    const learned = heuristicsOf(session).filter((h) => !tool.heuristics.includes(h));
    const heuristics = [...tool.heuristics, ...learned].slice(0, MAX_HEURISTICS);
    tools.push({ ...tool, heuristics });
    if (learned.length > 0)
      changes.push({
        path: `/spec/tools/${tools.length - 1}/heuristics`,
        reason: `Heuristics for ${tool.name} from ${session.runs.length} run(s) in training`,
        events: heuristicEvents(session),
        origin: 'deterministic',
      });
  }
  const present = new Set(tools.map((t) => t.name));
  const unapproved: ToolUsage[] = [];
  for (const session of usage) {
    if (present.has(session.tool) || rejected.has(session.tool)) continue;
    if (session.approvedBy.length === 0) {
      unapproved.push(session);
      continue;
    }
    if (tools.length >= MAX_TOOLS) continue;
    tools.push({
      name: session.tool,
      description: clip(
        session.purposes.length > 0
          ? `Learned in training; used for: ${session.purposes.map((p) => p.text).join('; ')}`
          : 'Learned in training.',
        1000,
      ),
      inputSchema: inferredInputSchema(session),
      sandbox: { network: 'none', allowHosts: [], timeoutMs: 30000, maxOutputBytes: 1048576 },
      credentialScopes: [],
      heuristics: heuristicsOf(session).slice(0, MAX_HEURISTICS),
    });
    changes.push({
      path: `/spec/tools/${tools.length - 1}`,
      reason: `Tool ${session.tool} added to the whitelist: used ${session.runs.length}× and approved by the trainer`,
      events: eventIds([...session.approvedBy, ...heuristicEvents(session)]),
      origin: 'deterministic',
    });
  }
  return { tools, changes, unapproved };
}
