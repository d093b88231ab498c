import { provisionalGovernanceReport, reportDigest } from './governance-report';

describe('provisional governance report', () => {
  const input = { packDigest: `sha256:${'a'.repeat(64)}`, approvals: 2, requiredApprovals: 2 };

  it('records the checks made before sealing and digests its canonical form', () => {
    const { report, digest } = provisionalGovernanceReport(input);
    expect(report).toMatchObject({ packDigest: input.packDigest, status: 'passed' });
    expect(report.checks.map((c) => c.name)).toEqual(['schema', 'approvals', 'four-eyes']);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Key order does not matter: the digest is over RFC 8785 canonical JSON.
    const reordered = { status: report.status, checks: report.checks, packDigest: report.packDigest };
    expect(reportDigest(reordered)).toBe(digest);
    expect(provisionalGovernanceReport({ ...input, packDigest: `sha256:${'b'.repeat(64)}` }).digest).not.toBe(
      digest,
    );
  });
});
