import { createHash } from 'node:crypto';
import { canonicalize } from '@personae/crypto';

export type CheckStatus = 'pass' | 'fail' | 'warn';

/** One finding of a check: where in the pack (JSON pointer) and why. */
export interface CheckFinding {
  pointer: string;
  reason: string;
}

export interface PackCheckResult {
  name: PackCheckName;
  status: CheckStatus;
  findings: CheckFinding[];
}

export type PackCheckName =
  | 'schema'
  | 'tools-allowed'
  | 'budgets-within-caps'
  | 'regulated-disclaimers'
  | 'safety-boundaries'
  | 'no-embedded-secrets-or-pii'
  | 'tool-description-injection'
  | 'validation-tests';

/**
 * A validation test run through the model port. `inconclusive`: the offline retrieval responder
 * answered and only expectations it cannot meet by design failed (it quotes knowledge, it does not
 * compose text): `contains`, `matches`, `refuses: false`. Those need a language model to judge.
 */
export interface PackTestResult {
  name: string;
  passed: boolean;
  verdict: 'passed' | 'failed' | 'inconclusive';
  failures: string[];
  model: string;
  provider: string;
}

/**
 * What governance found in a pack before approval. Deterministic for a given pack, tenant policy and
 * model answers (no timestamps), so its digest identifies the verdict that went into a seal.
 */
export interface PackValidationReport {
  packDigest: string;
  policyVersions: { constitution: string; tenant?: string };
  status: 'passed' | 'failed';
  checks: PackCheckResult[];
  tests: PackTestResult[];
}

export function reportStatus(checks: readonly PackCheckResult[]): 'passed' | 'failed' {
  return checks.some((check) => check.status === 'fail') ? 'failed' : 'passed';
}

/** `sha256:<hex>` of the report's RFC 8785 canonical JSON. */
export function validationReportDigest(report: PackValidationReport): string {
  return `sha256:${createHash('sha256').update(canonicalize(report), 'utf8').digest('hex')}`;
}

export function checkResult(name: PackCheckName, findings: CheckFinding[], failing = true): PackCheckResult {
  return { name, status: findings.length === 0 ? 'pass' : failing ? 'fail' : 'warn', findings };
}
