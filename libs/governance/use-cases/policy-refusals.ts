import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { compilePolicy, MAX_POLICY_BYTES, type Layer, type PolicyCompilation } from '@personae/policy';

/**
 * Compiles a candidate policy or answers why not: 413 over the size limit, 400 for an invalid document
 * (each problem with its JSON pointer, and the rule id in the reason), 422 for contradictory rules
 * (with both rule ids).
 */
export function compiledOrRefused(
  document: unknown,
  options: { layer: Layer; version: string },
): Extract<PolicyCompilation, { ok: true }> {
  const bytes = Buffer.byteLength(JSON.stringify(document ?? null), 'utf8');
  if (bytes > MAX_POLICY_BYTES)
    throw new PayloadTooLargeException(
      `the policy document is ${bytes} bytes, over the ${MAX_POLICY_BYTES}-byte limit; nothing was saved`,
    );
  const result = compilePolicy(document, options);
  if (result.ok) return result;
  throw policyRefusal(result);
}

function policyRefusal(result: Extract<PolicyCompilation, { ok: false }>): HttpException {
  const errors = result.problems.map((p) => ({
    field: `/document${p.pointer}`,
    reason: p.ruleIds && result.kind === 'invalid' ? `rule "${p.ruleIds[0]}": ${p.reason}` : p.reason,
  }));
  const first = errors[0] ? `: ${errors[0].field}: ${errors[0].reason}` : '';
  if (result.kind === 'contradictory') {
    const ids = result.problems.flatMap((p) => p.ruleIds ?? []);
    return new UnprocessableEntityException({
      message: `contradictory rules (${[...new Set(ids)].join(', ')})${first}; nothing was saved`,
      errors,
    });
  }
  return new BadRequestException({
    message: `invalid policy (${errors.length} problem${errors.length === 1 ? '' : 's'})${first}; nothing was saved`,
    errors,
  });
}
