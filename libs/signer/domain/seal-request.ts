import { canonicalize, CanonicalizationError } from '@personae/crypto';
import { checkPack, MAX_PACK_BYTES, type PersonaPack } from '@personae/pack';
import type { PackApproval } from '@personae/trust';
import { firstDifference } from './json-difference';

/** A problem with one field of the request: `field` is a body path, or a JSON pointer into it for the pack. */
export interface FieldProblem {
  field: string;
  reason: string;
}

export interface SealInput {
  pack: unknown;
  approvals: readonly PackApproval[];
  /** `sha256:<hex>` of the governance report the pack passed. */
  governanceReportDigest: string;
}

/** A request that may be sealed: the pack exactly as sent (it is what gets signed) and its identity. */
export interface CheckedSeal {
  pack: PersonaPack;
  name: string;
  version: number;
  approvals: PackApproval[];
  /** Hex SHA-256, the form @personae/trust takes. */
  governanceReportDigestHex: string;
}

export type SealCheck = { ok: true; value: CheckedSeal } | { ok: false; problems: FieldProblem[] };

export const MAX_APPROVALS = 32;
const SHA256_DIGEST = /^sha256:([0-9a-f]{64})$/;

/**
 * Everything about a seal request that needs no database: digest format, approvals, and a pack that
 * validates, is already normalized (what is signed is exactly what the caller stores, so the digest
 * it keeps is the one in the seal), has a version, belongs to the caller's tenant and carries the
 * approvals its own policy requires. Problems name the field, pack problems by JSON pointer.
 */
export function checkSealRequest(input: SealInput, tenantId: string): SealCheck {
  const problems: FieldProblem[] = [];
  const governance = SHA256_DIGEST.exec(input.governanceReportDigest);
  if (!governance)
    problems.push({
      field: 'governanceReportDigest',
      reason: 'must be sha256:<64 lowercase hex characters>',
    });
  problems.push(...approvalProblems(input.approvals));

  const pack = packProblems(input.pack, tenantId);
  if (!pack.ok) problems.push(...pack.problems);
  if (problems.length > 0 || !pack.ok) return { ok: false, problems };

  const required = pack.value.spec.policy.requiredApprovals;
  const approvers = new Set(input.approvals.map((a) => a.by)).size;
  if (approvers < required)
    return {
      ok: false,
      problems: [
        {
          field: 'approvals',
          reason: `the pack's policy requires ${required} distinct approvers, the request has ${approvers}`,
        },
      ],
    };
  return {
    ok: true,
    value: {
      pack: pack.value,
      name: pack.value.metadata.name,
      version: pack.value.metadata.version!,
      approvals: input.approvals.map(({ by, role, at }) => ({ by, role, at })),
      governanceReportDigestHex: governance![1]!,
    },
  };
}

function approvalProblems(approvals: readonly PackApproval[]): FieldProblem[] {
  if (approvals.length === 0) return [{ field: 'approvals', reason: 'at least one approval is required' }];
  if (approvals.length > MAX_APPROVALS)
    return [{ field: 'approvals', reason: `at most ${MAX_APPROVALS} approvals` }];
  const problems: FieldProblem[] = [];
  approvals.forEach((approval, i) => {
    if (!/\S/.test(approval.by)) problems.push({ field: `approvals[${i}].by`, reason: 'must not be blank' });
    if (!/\S/.test(approval.role))
      problems.push({ field: `approvals[${i}].role`, reason: 'must not be blank' });
    if (Number.isNaN(Date.parse(approval.at)))
      problems.push({ field: `approvals[${i}].at`, reason: 'must be an ISO 8601 instant' });
  });
  return problems;
}

type PackOutcome = { ok: true; value: PersonaPack } | { ok: false; problems: FieldProblem[] };

function packProblems(value: unknown, tenantId: string): PackOutcome {
  const at = (pointer: string, reason: string): PackOutcome => ({
    ok: false,
    problems: [{ field: `/pack${pointer}`, reason }],
  });
  let canonical: string;
  try {
    canonical = canonicalize(value);
  } catch (error) {
    if (error instanceof CanonicalizationError) return at('', error.message);
    throw error;
  }
  if (Buffer.byteLength(canonical, 'utf8') > MAX_PACK_BYTES)
    return at('', `exceeds ${MAX_PACK_BYTES} bytes in canonical form`);
  const checked = checkPack(value);
  if (!checked.ok)
    return {
      ok: false,
      problems: checked.problems.map((p) => ({ field: `/pack${p.pointer}`, reason: p.reason })),
    };
  const difference = firstDifference(value, checked.pack);
  if (difference !== undefined)
    return at(
      difference,
      'differs from the normalized pack: seal exactly what validatePack returns (defaults filled in)',
    );
  const { version, tenant } = checked.pack.metadata;
  if (version === undefined)
    return at('/metadata/version', 'is required to seal: the version being sealed (≥ 1)');
  if (tenant !== undefined && tenant !== tenantId)
    return at('/metadata/tenant', `must be your tenant (${tenantId}) or absent`);
  return { ok: true, value: checked.pack };
}
