import { decideSeal, type PriorSeal } from './seal-decision';

const digest = `sha256:${'1'.repeat(64)}`;
const other = `sha256:${'2'.repeat(64)}`;
const decide = (prior: PriorSeal[], revokedVersion?: { reason: string }) =>
  decideSeal({ ref: 'helper.v2', digest, prior, ...(revokedVersion ? { revokedVersion } : {}) });

describe('decideSeal', () => {
  it('appends a first seal', () => {
    expect(decide([])).toEqual({ kind: 'append' });
  });

  it('hands back the latest earlier seal of the same digest while its key is trusted', () => {
    expect(
      decide([
        { logIndex: 4, digest, keyStatus: 'retired' },
        { logIndex: 9, digest, keyStatus: 'active' },
      ]),
    ).toEqual({ kind: 'reuse', logIndex: 9 });
  });

  it('re-seals when every earlier seal was made by a revoked key', () => {
    expect(decide([{ logIndex: 4, digest, keyStatus: 'revoked' }])).toEqual({ kind: 'append' });
    expect(
      decide([
        { logIndex: 4, digest, keyStatus: 'revoked' },
        { logIndex: 7, digest, keyStatus: 'active' },
      ]),
    ).toEqual({ kind: 'reuse', logIndex: 7 });
  });

  it('never seals one version with two digests, even after a key revocation', () => {
    const decision = decide([{ logIndex: 1, digest: other, keyStatus: 'revoked' }]);
    expect(decision).toMatchObject({ kind: 'conflict' });
    expect(decision.kind === 'conflict' && decision.reason).toContain(
      `helper.v2 is already sealed with digest ${other}`,
    );
  });

  it('never seals a revoked version again', () => {
    expect(decide([{ logIndex: 1, digest, keyStatus: 'active' }], { reason: 'leak' })).toEqual({
      kind: 'conflict',
      reason: 'helper.v2 is revoked (leak); seal a new version instead',
    });
  });
});
