import { TypeCompiler } from '@sinclair/typebox/compiler';
import { schemaProblems } from '@personae/pack/schema-problems';
import { compileRule } from './compiled-rule';
import { CompiledPolicy } from './compiled-policy';
import { findContradictions } from './contradictions';
import type { Layer } from './decision';
import { MAX_POLICY_RULES, PolicyDocumentSchema, type PolicyDocument } from './schema/policy-document.schema';

/** One thing wrong with a policy: where (JSON pointer), why, and the rule(s) concerned. */
export interface PolicyProblem {
  pointer: string;
  reason: string;
  ruleIds?: string[];
}

export type PolicyCompilation =
  | { ok: true; policy: CompiledPolicy; document: PolicyDocument }
  | { ok: false; problems: PolicyProblem[]; kind: 'invalid' | 'contradictory' };

export interface CompileOptions {
  layer: Layer;
  /** The version label decisions report, e.g. `acme.v3`. */
  version: string;
}

const check = TypeCompiler.Compile(PolicyDocumentSchema);

/**
 * Validates a policy document (schema, unique rule ids, no contradictions) and compiles it for the hot
 * path. Compile once per version and reuse: decisions then cost an index lookup and a few closures.
 */
export function compilePolicy(document: unknown, options: CompileOptions): PolicyCompilation {
  if (!check.Check(document)) {
    const problems = schemaProblems(check.Errors(document)).map((problem) => ({
      ...problem,
      ...ruleIdAt(document, problem.pointer),
    }));
    return { ok: false, kind: 'invalid', problems };
  }
  const problems: PolicyProblem[] = [];
  const seen = new Map<string, number>();
  document.rules.forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined)
      problems.push({
        pointer: `/rules/${index}/id`,
        reason: `duplicates the id of /rules/${first}`,
        ruleIds: [rule.id],
      });
    else seen.set(rule.id, index);
    if (rule.when?.costAbove !== undefined && rule.when.costAtMost !== undefined)
      if (rule.when.costAtMost <= rule.when.costAbove)
        problems.push({
          pointer: `/rules/${index}/when/costAtMost`,
          reason: 'must be above costAbove, or the rule can never match',
          ruleIds: [rule.id],
        });
  });
  if (problems.length > 0) return { ok: false, kind: 'invalid', problems };
  const contradictions = findContradictions(document.rules);
  if (contradictions.length > 0)
    return {
      ok: false,
      kind: 'contradictory',
      problems: contradictions.map((c) => ({
        pointer: `/rules/${seen.get(c.ruleIds[0])}`,
        reason: c.reason,
        ruleIds: [...c.ruleIds],
      })),
    };
  const rules = document.rules.map((rule, order) => compileRule(rule, options.layer, order));
  return { ok: true, document, policy: new CompiledPolicy(options.layer, options.version, rules) };
}

/** Like compilePolicy, for documents that must be valid (the constitution, tests): throws otherwise. */
export function compilePolicyOrThrow(document: unknown, options: CompileOptions): CompiledPolicy {
  const result = compilePolicy(document, options);
  if (result.ok) return result.policy;
  const lines = result.problems.map((p) => `  ${p.pointer || '/'}: ${p.reason}`);
  throw new Error(`invalid ${options.layer} policy ${options.version}:\n${lines.join('\n')}`);
}

function ruleIdAt(document: unknown, pointer: string): { ruleIds?: string[] } {
  const index = /^\/rules\/(\d+)/.exec(pointer)?.[1];
  if (index === undefined || !document || typeof document !== 'object') return {};
  const rules = (document as { rules?: unknown }).rules;
  const rule = Array.isArray(rules) ? (rules[Number(index)] as { id?: unknown } | undefined) : undefined;
  return typeof rule?.id === 'string' ? { ruleIds: [rule.id] } : {};
}

export { MAX_POLICY_RULES };
