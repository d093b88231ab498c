import { governanceVerdict, reportDigest, type GovernanceReport } from './governance-report';

describe('governance verdict', () => {
  const packDigest = `sha256:${'a'.repeat(64)}`;
  const passed: GovernanceReport = {
    packDigest,
    policyVersions: { constitution: 'constitution.v1' },
    status: 'passed',
    checks: [{ name: 'schema', status: 'pass', findings: [] }],
    tests: [],
  };

  it('accepts a passed report about these bytes under its stated digest (canonical, key order free)', () => {
    const digest = reportDigest(passed);
    const reordered = {
      tests: [],
      checks: passed.checks,
      status: 'passed',
      policyVersions: passed.policyVersions,
      packDigest,
    };
    expect(reportDigest(reordered)).toBe(digest);
    expect(governanceVerdict(passed, digest, packDigest)).toEqual({ ok: true, digest });
  });

  it('refuses a failed report with its failing checks, a report on other bytes, or a wrong digest', () => {
    const failed: GovernanceReport = {
      ...passed,
      status: 'failed',
      checks: [
        {
          name: 'tools-allowed',
          status: 'fail',
          findings: [{ pointer: '/spec/tools/0/name', reason: 'forbidden' }],
        },
      ],
    };
    expect(governanceVerdict(failed, reportDigest(failed), packDigest)).toMatchObject({
      ok: false,
      failing: [{ field: 'tools-allowed:/spec/tools/0/name', reason: 'forbidden' }],
    });
    expect(governanceVerdict(passed, reportDigest(passed), `sha256:${'b'.repeat(64)}`).ok).toBe(false);
    expect(governanceVerdict(passed, `sha256:${'c'.repeat(64)}`, packDigest).ok).toBe(false);
  });
});
