import { createHash } from 'node:crypto';
import { canonicalize } from '@personae/crypto';

export interface GovernanceCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface GovernanceReport {
  packDigest: string;
  checks: GovernanceCheck[];
  status: 'passed';
}

export interface GovernanceReportInput {
  packDigest: string;
  approvals: number;
  requiredApprovals: number;
}

/**
 * Placeholder until the governance service decides (a later issue): the report of the checks the
 * registry itself made before sealing. Its digest goes into the signed predicate, so replacing this
 * function with governance's real report changes nothing else.
 */
export function provisionalGovernanceReport(input: GovernanceReportInput): {
  report: GovernanceReport;
  digest: string;
} {
  const report: GovernanceReport = {
    packDigest: input.packDigest,
    checks: [
      { name: 'schema', ok: true },
      {
        name: 'approvals',
        ok: input.approvals >= input.requiredApprovals,
        detail: `${input.approvals} of ${input.requiredApprovals} required`,
      },
      { name: 'four-eyes', ok: true, detail: 'no approver authored or trained the draft' },
    ],
    status: 'passed',
  };
  return { report, digest: reportDigest(report) };
}

/** `sha256:<hex>` of the report's RFC 8785 canonical JSON. */
export function reportDigest(report: GovernanceReport): string {
  return `sha256:${createHash('sha256').update(canonicalize(report), 'utf8').digest('hex')}`;
}
