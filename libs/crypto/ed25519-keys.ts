import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';

/** What signs: the private key and the id verifiers look its public half up by. */
export interface Signer {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

export interface SigningKeyPair extends Signer {
  readonly publicKey: KeyObject;
}

export class KeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFormatError';
  }
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey, privateKey, keyId: keyId(publicKey) };
}

/**
 * Key id = lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo. It is the same
 * definition Sigstore uses for log ids (and for the 4-byte checkpoint key hint), so one id names
 * a key in our DSSE envelopes, bundle hints, checkpoints and the published key list alike.
 */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(spkiDer(publicKey)).digest('hex');
}

export function spkiDer(publicKey: KeyObject): Buffer {
  assertEd25519(publicKey, 'public');
  return publicKey.export({ type: 'spki', format: 'der' });
}

export function exportPublicKeyPem(publicKey: KeyObject): string {
  assertEd25519(publicKey, 'public');
  return publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

/** Accepts SPKI PEM (or DER); refuses anything that is not an Ed25519 public key. */
export function importPublicKey(source: string | Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key =
      typeof source === 'string'
        ? createPublicKey({ key: source, format: 'pem' })
        : createPublicKey({ key: Buffer.from(source), format: 'der', type: 'spki' });
  } catch {
    throw new KeyFormatError('not a readable SPKI public key');
  }
  assertEd25519(key, 'public');
  return key;
}

/** PKCS#8 DER: the bytes the signer encrypts at rest with encryptSecret. */
export function exportPrivateKey(privateKey: KeyObject): Buffer {
  assertEd25519(privateKey, 'private');
  return privateKey.export({ type: 'pkcs8', format: 'der' });
}

export function exportPrivateKeyPem(privateKey: KeyObject): string {
  assertEd25519(privateKey, 'private');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Accepts unencrypted PKCS#8 PEM or DER. */
export function importPrivateKey(source: string | Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key =
      typeof source === 'string'
        ? createPrivateKey({ key: source, format: 'pem' })
        : createPrivateKey({ key: Buffer.from(source), format: 'der', type: 'pkcs8' });
  } catch {
    // Never echo the input: it is secret material.
    throw new KeyFormatError('not a readable PKCS#8 private key');
  }
  assertEd25519(key, 'private');
  return key;
}

/** Rebuilds the full signer (with its key id) from a stored private key. */
export function signingKeyPairFrom(privateKey: KeyObject): SigningKeyPair {
  assertEd25519(privateKey, 'private');
  const publicKey = createPublicKey(privateKey);
  return { publicKey, privateKey, keyId: keyId(publicKey) };
}

export function signBytes(privateKey: KeyObject, data: Uint8Array): Buffer {
  return nodeSign(null, data, privateKey);
}

/**
 * The same signature, computed on libuv's thread pool: a server signing on every request (receipts)
 * keeps its event loop for the requests.
 */
export function signBytesAsync(privateKey: KeyObject, data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    nodeSign(null, data, privateKey, (error, signature) => (error ? reject(error) : resolve(signature))),
  );
}

/** Never throws: a malformed signature is simply not a valid one. */
export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return nodeVerify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** The same check on libuv's thread pool, so many verifications in flight use every core. */
export function verifyBytesAsync(
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (signature.length !== 64) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      nodeVerify(null, data, publicKey, signature, (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}

function assertEd25519(key: KeyObject, type: 'public' | 'private'): void {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== type)
    throw new KeyFormatError(
      `expected an Ed25519 ${type} key, got ${key.asymmetricKeyType ?? 'secret'} ${key.type}`,
    );
}
