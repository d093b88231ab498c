import { actionMatches, actionPatternCovers } from './action-patterns';
import { joinPointer } from './json-pointer';
import type { PackProblem } from './pack-validation-error';
import type { PersonaPack } from './schema/persona-pack.schema';
import type { ToolSpec } from './schema/tool.schema';

/**
 * Rules a schema cannot say: uniqueness by name, contradictions between fields, references that must
 * resolve. Runs on a schema-valid, normalized pack.
 */
export function semanticProblems(pack: PersonaPack): PackProblem[] {
  const { spec } = pack;
  return [
    ...duplicates(spec.tools, (tool) => tool.name, '/spec/tools', 'name'),
    ...duplicates(spec.validation, (test) => test.name, '/spec/validation', 'name'),
    ...duplicates(spec.knowledge, (ref) => ref.snapshot, '/spec/knowledge', 'snapshot'),
    ...spec.tools.flatMap((tool, index) => toolProblems(tool, joinPointer('/spec/tools', index))),
    ...toolPolicyProblems(pack),
    ...actionOverlapProblems(pack),
    ...modelProblems(pack),
    ...expectationProblems(pack),
  ];
}

function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  base: string,
  field: string,
): PackProblem[] {
  const first = new Map<string, number>();
  const problems: PackProblem[] = [];
  items.forEach((item, index) => {
    const value = key(item);
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, index);
    else
      problems.push({
        pointer: joinPointer(base, index, field),
        reason: `"${value}" is already used by ${joinPointer(base, earlier)}; ${field}s must be unique`,
      });
  });
  return problems;
}

function toolProblems(tool: ToolSpec, pointer: string): PackProblem[] {
  const problems: PackProblem[] = [];
  const { network, allowHosts } = tool.sandbox;
  if (network === 'allowlist' && allowHosts.length === 0)
    problems.push({
      pointer: `${pointer}/sandbox/allowHosts`,
      reason: 'must list at least one host when network is "allowlist"',
    });
  if (network !== 'allowlist' && allowHosts.length > 0)
    problems.push({
      pointer: `${pointer}/sandbox/allowHosts`,
      reason: `only applies when network is "allowlist" (it is "${network}")`,
    });
  const properties = tool.inputSchema.properties ?? {};
  (tool.inputSchema.required ?? []).forEach((name, index) => {
    if (!Object.hasOwn(properties, name))
      problems.push({
        pointer: joinPointer(pointer, 'inputSchema', 'required', index),
        reason: `"${name}" is required but not declared in inputSchema.properties`,
      });
  });
  return problems;
}

/** A tool the pack's own policy forbids could never be called: almost certainly a mistake. */
function toolPolicyProblems({ spec }: PersonaPack): PackProblem[] {
  const { allowedActions, blockedActions } = spec.policy;
  return spec.tools.flatMap((tool, index): PackProblem[] => {
    const pointer = joinPointer('/spec/tools', index, 'name');
    const blockedBy = blockedActions.find((pattern) => actionMatches(pattern, tool.name));
    if (blockedBy)
      return [{ pointer, reason: `tool "${tool.name}" is blocked by policy.blockedActions "${blockedBy}"` }];
    if (allowedActions.length > 0 && !allowedActions.some((pattern) => actionMatches(pattern, tool.name)))
      return [{ pointer, reason: `tool "${tool.name}" is not matched by any policy.allowedActions entry` }];
    return [];
  });
}

function actionOverlapProblems({ spec }: PersonaPack): PackProblem[] {
  const { allowedActions, blockedActions } = spec.policy;
  return allowedActions.flatMap((allowed, index): PackProblem[] => {
    const blocker = blockedActions.find((blocked) => actionPatternCovers(blocked, allowed));
    return blocker === undefined
      ? []
      : [
          {
            pointer: joinPointer('/spec/policy/allowedActions', index),
            reason: `"${allowed}" is also blocked by "${blocker}"; an action cannot be both allowed and blocked`,
          },
        ];
  });
}

function modelProblems({ spec }: PersonaPack): PackProblem[] {
  const problems: PackProblem[] = [];
  const { primary, fallback, budget } = spec.models;
  const seen = new Set(primary ? [primary.model] : []);
  fallback.forEach((profile, index) => {
    if (seen.has(profile.model))
      problems.push({
        pointer: joinPointer('/spec/models/fallback', index, 'model'),
        reason:
          profile.model === primary?.model
            ? `"${profile.model}" is already the primary model`
            : `"${profile.model}" is listed twice`,
      });
    seen.add(profile.model);
  });
  if (
    budget.maxCostPerRequest !== undefined &&
    budget.maxCostPerDay !== undefined &&
    budget.maxCostPerRequest > budget.maxCostPerDay
  )
    problems.push({
      pointer: '/spec/models/budget/maxCostPerRequest',
      reason: `must be ≤ maxCostPerDay (${budget.maxCostPerDay})`,
    });
  return problems;
}

function expectationProblems({ spec }: PersonaPack): PackProblem[] {
  return spec.validation.flatMap((test, index): PackProblem[] => {
    if (test.expect.matches === undefined) return [];
    try {
      new RegExp(test.expect.matches, 'i');
      return [];
    } catch (error) {
      return [
        {
          pointer: joinPointer('/spec/validation', index, 'expect', 'matches'),
          reason: `is not a valid regular expression: ${(error as Error).message}`,
        },
      ];
    }
  });
}
