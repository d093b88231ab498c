import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  exportPrivateKey,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateSigningKeyPair,
  importPrivateKey,
  importPublicKey,
  KeyFormatError,
  keyId,
  signBytes,
  signingKeyPairFrom,
  spkiDer,
  verifyBytes,
} from './ed25519-keys';

describe('Ed25519 keys', () => {
  const pair = generateSigningKeyPair();
  const message = Buffer.from('persona pack');

  it('names a key by the hex SHA-256 of its SPKI DER', () => {
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    expect(der).toHaveLength(44);
    expect(pair.keyId).toBe(createHash('sha256').update(der).digest('hex'));
    expect(keyId(pair.publicKey)).toBe(pair.keyId);
    expect(spkiDer(pair.publicKey).equals(der)).toBe(true);
  });

  it('round-trips public keys through SPKI PEM and DER with the same id', () => {
    const pem = exportPublicKeyPem(pair.publicKey);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(keyId(importPublicKey(pem))).toBe(pair.keyId);
    expect(keyId(importPublicKey(spkiDer(pair.publicKey)))).toBe(pair.keyId);
  });

  it('round-trips private keys through PKCS#8 and still signs for the same key id', () => {
    const fromDer = signingKeyPairFrom(importPrivateKey(exportPrivateKey(pair.privateKey)));
    const fromPem = signingKeyPairFrom(importPrivateKey(exportPrivateKeyPem(pair.privateKey)));
    expect(fromDer.keyId).toBe(pair.keyId);
    expect(fromPem.keyId).toBe(pair.keyId);
    expect(verifyBytes(pair.publicKey, message, signBytes(fromDer.privateKey, message))).toBe(true);
  });

  it('verifies only the exact message, signature and key', () => {
    const sig = signBytes(pair.privateKey, message);
    expect(verifyBytes(pair.publicKey, message, sig)).toBe(true);
    expect(verifyBytes(pair.publicKey, Buffer.from('persona pacK'), sig)).toBe(false);
    const bad = Buffer.from(sig);
    bad[10]! ^= 0x01;
    expect(verifyBytes(pair.publicKey, message, bad)).toBe(false);
    expect(verifyBytes(generateSigningKeyPair().publicKey, message, sig)).toBe(false);
    expect(verifyBytes(pair.publicKey, message, sig.subarray(0, 63))).toBe(false);
  });

  it('refuses keys of other types and unreadable input without echoing it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => importPublicKey(ec.publicKey.export({ type: 'spki', format: 'pem' }) as string)).toThrow(
      /expected an Ed25519 public key/,
    );
    expect(() => keyId(pair.privateKey)).toThrow(KeyFormatError);
    expect(() =>
      importPrivateKey('-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----'),
    ).toThrow(/^not a readable PKCS#8 private key$/);
    expect(() => importPublicKey('nonsense')).toThrow(KeyFormatError);
  });
});
