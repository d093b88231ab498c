import type { CompiledRule } from './compiled-rule';
import type { DecisionRequest, Layer } from './decision';
import { PatternIndex } from './rule-index';

/**
 * A policy compiled for one layer: rules indexed by the actions (or, for tool-only rules, the tools)
 * they name, so a decision looks only at the rules that can apply.
 */
export class CompiledPolicy {
  private readonly byAction = new PatternIndex<CompiledRule>();
  private readonly byTool = new PatternIndex<CompiledRule>();
  private readonly everywhere: CompiledRule[] = [];

  constructor(
    readonly layer: Layer,
    /** e.g. `constitution.v1`, `acme-default.v3`, `persona:biology_researcher.v2`. */
    readonly version: string,
    readonly rules: readonly CompiledRule[],
  ) {
    for (const rule of rules) {
      const { actions, tools } = rule.source.match;
      if (actions) for (const pattern of actions) this.byAction.add(pattern, rule);
      else if (tools) for (const pattern of tools) this.byTool.add(pattern, rule);
      else this.everywhere.push(rule);
    }
  }

  /** The rules that match the request, each once. */
  matching(request: DecisionRequest): CompiledRule[] {
    const found: CompiledRule[] = [];
    const consider = (rule: CompiledRule) => {
      if (rule.matches(request) && !found.includes(rule)) found.push(rule);
    };
    for (const rule of this.everywhere) consider(rule);
    for (const rule of this.byAction.lookup(request.action)) consider(rule);
    if (request.tool !== undefined) for (const rule of this.byTool.lookup(request.tool)) consider(rule);
    return found;
  }
}
