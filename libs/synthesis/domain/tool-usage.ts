import { TOOL_NAME } from '@personae/pack';
import type { ToolRunEvent } from './session-event';
import { finding, type Contradiction, type Finding, type SessionTimeline } from './session-timeline';
import { clip, compareText, eventIds } from './text';

const TOOL_NAME_PATTERN = new RegExp(TOOL_NAME);
/** Arguments JSON larger than this is not parsed for statistics (the training service bounds it too). */
const MAX_ARGUMENTS_JSON = 64 * 1024;

export interface ArgumentStats {
  name: string;
  seen: number;
  type: string;
  /** The most frequent short value when one repeats, for "usually …". */
  usual?: string;
}

/** What the session shows about one tool. */
export interface ToolUsage {
  tool: string;
  runs: ToolRunEvent[];
  succeeded: number;
  failed: number;
  purposes: { text: string; event: string }[];
  arguments: ArgumentStats[];
  failures: { error: string; count: number; events: string[] }[];
  approvedBy: string[];
  rejectedBy: string[];
  explanations: { text: string; event: string }[];
}

/**
 * Groups tool runs by tool and gathers what the heuristics, the whitelist and the blocked actions
 * are built from. A run is rejected when the trainer's verdict on it is `reject` or the run itself
 * was refused (`status: rejected`); approved when the verdict is `approve`.
 */
export function toolUsage(timeline: SessionTimeline): {
  usage: ToolUsage[];
  contradictions: Contradiction[];
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const byTool = new Map<string, ToolUsage>();
  for (const run of timeline.tools) {
    if (!TOOL_NAME_PATTERN.test(run.tool) || run.tool.length > 64) {
      findings.push(
        finding(
          'bad-tool-name',
          `tool run names "${clip(run.tool, 64)}", which is no valid tool name; ignored`,
          run,
        ),
      );
      continue;
    }
    const usage = byTool.get(run.tool) ?? emptyUsage(run.tool);
    byTool.set(run.tool, usage);
    usage.runs.push(run);
    if (run.status === 'succeeded') usage.succeeded += 1;
    if (run.status === 'failed') usage.failed += 1;
    const verdict = timeline.verdicts.get(run.id);
    if (verdict?.kind === 'approve') usage.approvedBy.push(verdict.annotation.id, run.id);
    if (verdict?.kind === 'reject') usage.rejectedBy.push(verdict.annotation.id, run.id);
    else if (run.status === 'rejected') usage.rejectedBy.push(run.id);
    for (const explanation of timeline.explanations.get(run.id) ?? [])
      usage.explanations.push({ text: clip(explanation.rationale, 300), event: explanation.id });
    const purpose = timeline.trainerTurnBefore(run);
    if (purpose && !usage.purposes.some((p) => p.text === clip(purpose.content, 100)))
      usage.purposes.push({ text: clip(purpose.content, 100), event: purpose.id });
    if (run.status === 'failed') {
      const error = clip(run.error || 'failed without a message', 120);
      const entry = usage.failures.find((f) => f.error === error);
      if (entry) {
        entry.count += 1;
        entry.events.push(run.id);
      } else usage.failures.push({ error, count: 1, events: [run.id] });
    }
  }
  const usage = [...byTool.values()].sort((a, b) => compareText(a.tool, b.tool));
  for (const entry of usage) {
    entry.arguments = argumentStats(entry.runs);
    entry.failures.sort((a, b) => b.count - a.count || compareText(a.error, b.error));
  }
  const contradictions = usage
    .filter((u) => u.approvedBy.length > 0 && u.rejectedBy.length > 0)
    .map((u) => ({
      target: u.runs[0]!.id,
      annotations: eventIds([...u.approvedBy, ...u.rejectedBy]),
      description: `tool ${u.tool} has runs both approved and rejected; it is blocked (rejection wins) and left out of the tools`,
    }));
  return { usage, contradictions, findings };
}

function emptyUsage(tool: string): ToolUsage {
  return {
    tool,
    runs: [],
    succeeded: 0,
    failed: 0,
    purposes: [],
    arguments: [],
    failures: [],
    approvedBy: [],
    rejectedBy: [],
    explanations: [],
  };
}

function argumentStats(runs: readonly ToolRunEvent[]): ArgumentStats[] {
  const stats = new Map<string, { seen: number; types: Map<string, number>; values: Map<string, number> }>();
  for (const run of runs) {
    const args = parseObject(run.inputJson);
    if (!args) continue;
    for (const [name, value] of Object.entries(args)) {
      const entry = stats.get(name) ?? {
        seen: 0,
        types: new Map<string, number>(),
        values: new Map<string, number>(),
      };
      stats.set(name, entry);
      entry.seen += 1;
      const type = jsonType(value);
      entry.types.set(type, (entry.types.get(type) ?? 0) + 1);
      if (type !== 'object' && type !== 'array') {
        const text = JSON.stringify(value);
        if (text.length <= 40) entry.values.set(text, (entry.values.get(text) ?? 0) + 1);
      }
    }
  }
  return [...stats.entries()]
    .map(([name, s]) => {
      const usual = mostFrequent(s.values);
      return {
        name,
        seen: s.seen,
        type: mostFrequent(s.types)?.[0] ?? 'string',
        ...(usual && usual[1] >= 2 ? { usual: usual[0] } : {}),
      };
    })
    .sort((a, b) => b.seen - a.seen || compareText(a.name, b.name));
}

function mostFrequent(counts: Map<string, number>): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts)
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return best;
}

export function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text || text.length > MAX_ARGUMENTS_JSON) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
