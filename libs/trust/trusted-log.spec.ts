import { generateSigningKeyPair, TransparencyLog } from '@personae/crypto';
import { TrustedLog } from './trusted-log';

describe('TrustedLog', () => {
  const key = generateSigningKeyPair();
  const log = new TransparencyLog('log.test', key);
  log.append(Buffer.from('a'));

  it('opens checkpoints signed by its key and remembers them, boundedly', () => {
    const trusted = new TrustedLog('log.test', key.publicKey, 2);
    expect(trusted.keyId).toBe(key.keyId);
    const note = log.checkpoint().note;
    const first = trusted.open(note);
    expect(trusted.open(note)).toBe(first);
    trusted.open(log.checkpoint(0).note);
    trusted.open(log.append(Buffer.from('b')).checkpoint);
    // The first note was evicted: opening it again verifies afresh (a new object).
    expect(trusted.open(note)).not.toBe(first);
    expect(trusted.open(note)).toEqual(first);
  });

  it('never remembers a failure', () => {
    const trusted = new TrustedLog('log.test', generateSigningKeyPair().publicKey);
    const note = log.checkpoint().note;
    expect(() => trusted.open(note)).toThrow(/no valid signature/);
    expect(() => trusted.open(note)).toThrow(/no valid signature/);
  });
});
