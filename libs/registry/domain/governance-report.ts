import { createHash } from 'node:crypto';
import { canonicalize } from '@personae/crypto';
import type { PackValidationReportView } from '@personae/sdk';

/** Governance's pack validation report, stored with the version; its digest is signed in the seal. */
export type GovernanceReport = PackValidationReportView;

/** `sha256:<hex>` of the report's RFC 8785 canonical JSON. */
export function reportDigest(report: GovernanceReport | Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(canonicalize(report), 'utf8').digest('hex')}`;
}

export type GovernanceVerdict =
  { ok: true; digest: string } | { ok: false; reason: string; failing: { field: string; reason: string }[] };

/**
 * Whether a report lets this pack be sealed: it must be about these very bytes, its digest must be the
 * one governance stated (so the signed digest identifies the stored report), and it must have passed.
 */
export function governanceVerdict(
  report: GovernanceReport,
  statedDigest: string,
  packDigest: string,
): GovernanceVerdict {
  if (report.packDigest !== packDigest)
    return {
      ok: false,
      reason: 'governance validated other bytes than the registry is sealing',
      failing: [],
    };
  const digest = reportDigest(report);
  if (digest !== statedDigest)
    return { ok: false, reason: 'the governance report does not match its stated digest', failing: [] };
  if (report.status === 'passed') return { ok: true, digest };
  const failing = report.checks
    .filter((check) => check.status === 'fail')
    .flatMap((check) =>
      check.findings.map((finding) => ({
        field: `${check.name}:${finding.pointer || '/'}`,
        reason: finding.reason,
      })),
    );
  const names = report.checks.filter((c) => c.status === 'fail').map((c) => c.name);
  return {
    ok: false,
    reason: `governance refused the pack: ${names.join(', ')} failed${failing[0] ? ` (${failing[0].field}: ${failing[0].reason})` : ''}`,
    failing,
  };
}
