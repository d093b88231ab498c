import { planRevocation, privateKeyContext, sealsRemainValid } from './signing-keys';

describe('signing key lifecycle', () => {
  it('replaces the active key when it is revoked, so sealing continues with a fresh one', () => {
    expect(planRevocation('active')).toEqual({ kind: 'revoke', replaceActive: true });
    expect(planRevocation('retired')).toEqual({ kind: 'revoke', replaceActive: false });
    expect(planRevocation('revoked')).toEqual({ kind: 'already-revoked' });
  });

  it('keeps the seals of retired keys valid and refuses those of revoked keys', () => {
    expect(sealsRemainValid('active')).toBe(true);
    expect(sealsRemainValid('retired')).toBe(true);
    expect(sealsRemainValid('revoked')).toBe(false);
  });

  it('binds each private-key ciphertext to its key id', () => {
    expect(privateKeyContext('ab')).not.toBe(privateKeyContext('cd'));
  });
});
