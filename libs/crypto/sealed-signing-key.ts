import { exportPrivateKey, importPrivateKey, signingKeyPairFrom, type SigningKeyPair } from './ed25519-keys';
import { decryptSecret, encryptSecret } from './envelope-encryption';
import type { KeyRing } from './key-ring';

/**
 * A service's own Ed25519 key at rest: the private key's DER, envelope-encrypted under the KEK ring and
 * bound to `context` (so a sealed key cannot be swapped for another row's). The clear DER is zeroed as
 * soon as it has been used.
 */
export function sealSigningKey(ring: KeyRing, pair: SigningKeyPair, context: string): Buffer {
  const der = exportPrivateKey(pair.privateKey);
  try {
    return encryptSecret(ring, der, { context });
  } finally {
    der.fill(0);
  }
}

/** The key pair sealed by `sealSigningKey`; throws when the ring cannot open it or the context differs. */
export function unsealSigningKey(ring: KeyRing, sealed: Uint8Array, context: string): SigningKeyPair {
  const der = decryptSecret(ring, sealed, { context });
  try {
    return signingKeyPairFrom(importPrivateKey(der));
  } finally {
    der.fill(0);
  }
}
