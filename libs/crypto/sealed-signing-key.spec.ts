import { randomBytes } from 'node:crypto';
import { generateSigningKeyPair } from './ed25519-keys';
import { KeyRing } from './key-ring';
import { sealSigningKey, unsealSigningKey } from './sealed-signing-key';

describe('sealed signing keys', () => {
  const ring = new KeyRing([{ id: 'k1', key: randomBytes(32) }]);

  it('round-trips a key pair under its context, and refuses another context', () => {
    const pair = generateSigningKeyPair();
    const sealed = sealSigningKey(ring, pair, 'svc-key:a');
    expect(unsealSigningKey(ring, sealed, 'svc-key:a').keyId).toBe(pair.keyId);
    expect(() => unsealSigningKey(ring, sealed, 'svc-key:b')).toThrow();
  });
});
