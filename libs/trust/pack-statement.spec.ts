import { createHash } from 'node:crypto';
import { canonicalize } from '@personae/crypto';
import {
  buildPackStatement,
  packDigest,
  packIdentity,
  packRef,
  PackFormatError,
  predicateProblem,
} from './pack-statement';

describe('persona pack statement', () => {
  const pack = {
    kind: 'PersonaPack',
    metadata: { version: 7, name: 'analyst' },
    spec: { b: 1, a: [true, null] },
  };
  const approvals = [{ by: 'u1', role: 'reviewer', at: '2024-11-21T10:00:00Z' }];

  it('states the pack name and the SHA-256 of its RFC 8785 form', () => {
    const { statement, identity, digest } = buildPackStatement(pack, {
      approvals,
      governanceReportDigest: 'f'.repeat(64),
    });
    expect(identity).toEqual({ name: 'analyst', version: 7 });
    expect(packRef(identity)).toBe('analyst.v7');
    expect(digest).toBe(createHash('sha256').update(canonicalize(pack)).digest('hex'));
    expect(packDigest(Buffer.from(canonicalize(pack)))).toBe(digest);
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'analyst', digest: { sha256: digest } }],
      predicateType: 'https://personae.dev/persona-pack/v1',
      predicate: { version: 7, approvals, governanceReportDigest: { sha256: 'f'.repeat(64) } },
    });
  });

  it('refuses packs without a name or a positive integer version, and bad predicates', () => {
    expect(() => packIdentity({ metadata: { name: 'x', version: 0 } })).toThrow(PackFormatError);
    expect(() => packIdentity({ metadata: { name: '', version: 1 } })).toThrow(/name/);
    expect(() => packIdentity([])).toThrow(/metadata/);
    expect(() => buildPackStatement(pack, { approvals, governanceReportDigest: 'F'.repeat(64) })).toThrow(
      /governance/,
    );
    expect(
      predicateProblem({
        version: 1,
        approvals: [{ by: 'x' }],
        governanceReportDigest: { sha256: 'a'.repeat(64) },
      }),
    ).toMatch(/approvals\[0\]/);
    expect(
      predicateProblem({ version: 1, approvals: [], governanceReportDigest: { sha256: 'a'.repeat(64) } }),
    ).toBeUndefined();
  });
});
