import type { KeyObject } from 'node:crypto';
import { canonicalize } from './canonical-json';
import { pae } from './dsse';
import { signBytes, signBytesAsync, verifyBytes, type Signer } from './ed25519-keys';
import { decodeBase64, isJsonObject } from './encoding';

/**
 * A detached Ed25519 signature over a JSON value's RFC 8785 form, for compliance receipts and
 * other small signed records. What is signed is DSSE's PAE(payloadType, canonical JSON): the
 * payload type separates domains, so a receipt signature can never be replayed as a pack seal or
 * a checkpoint, and any DSSE tool can check it by wrapping value + signature in an envelope.
 */
export interface DetachedSignature {
  payloadType: string;
  keyid: string;
  /** Standard base64 of the 64-byte signature. */
  sig: string;
}

export function signJson(value: unknown, payloadType: string, signer: Signer): DetachedSignature {
  const message = pae(payloadType, Buffer.from(canonicalize(value), 'utf8'));
  return { payloadType, keyid: signer.keyId, sig: signBytes(signer.privateKey, message).toString('base64') };
}

/** `signJson`, the signature computed off the event loop (`signBytesAsync`). */
export async function signJsonAsync(
  value: unknown,
  payloadType: string,
  signer: Signer,
): Promise<DetachedSignature> {
  const message = pae(payloadType, Buffer.from(canonicalize(value), 'utf8'));
  const signature = await signBytesAsync(signer.privateKey, message);
  return { payloadType, keyid: signer.keyId, sig: signature.toString('base64') };
}

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; reason: string };

/** The signature must name a trusted key, carry the expected payload type and verify. */
export function verifyJson(
  value: unknown,
  signature: unknown,
  expectedPayloadType: string,
  trustedKeys: ReadonlyMap<string, KeyObject>,
): SignatureCheck {
  if (
    !isJsonObject(signature) ||
    typeof signature.keyid !== 'string' ||
    typeof signature.payloadType !== 'string'
  )
    return { ok: false, reason: 'malformed signature' };
  if (signature.payloadType !== expectedPayloadType)
    return { ok: false, reason: `payload type ${signature.payloadType} is not ${expectedPayloadType}` };
  const key = trustedKeys.get(signature.keyid);
  if (!key) return { ok: false, reason: `key ${signature.keyid} is not trusted` };
  let sig: Buffer;
  let canonical: string;
  try {
    sig = decodeBase64(signature.sig, 'sig', 64);
    canonical = canonicalize(value);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return verifyBytes(key, pae(expectedPayloadType, Buffer.from(canonical, 'utf8')), sig)
    ? { ok: true, keyId: signature.keyid }
    : { ok: false, reason: 'signature does not verify' };
}
