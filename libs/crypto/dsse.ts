import type { KeyObject } from 'node:crypto';
import { signBytes, verifyBytes, type Signer } from './ed25519-keys';
import { decodeBase64, isJsonObject as isRecord } from './encoding';

/**
 * DSSE v1 (github.com/secure-systems-lab/dsse, protocol.md and envelope.md): the signature covers
 * PAE(payloadType, payload), never the JSON envelope, so the envelope's own serialization is
 * irrelevant to what was signed and the payload type cannot be swapped.
 */
export interface DsseSignature {
  keyid: string;
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

/** An envelope whose fields are checked and decoded; signatures are not yet verified. */
export interface ParsedEnvelope {
  payloadType: string;
  payload: Buffer;
  signatures: Array<{ keyid: string; sig: Buffer }>;
}

export interface DsseLimits {
  maxPayloadBytes: number;
  maxSignatures: number;
  maxKeyIdLength: number;
  maxPayloadTypeLength: number;
}

/** Generous for a statement that carries digests, not documents; small enough to bound work. */
export const DEFAULT_DSSE_LIMITS: DsseLimits = {
  maxPayloadBytes: 256 * 1024,
  maxSignatures: 8,
  maxKeyIdLength: 256,
  maxPayloadTypeLength: 256,
};

export class DsseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DsseError';
  }
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal bytes. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const header = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `, 'utf8');
  return Buffer.concat([header, payload]);
}

export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signers: Signer | readonly Signer[],
): DsseEnvelope {
  const list: readonly Signer[] = Array.isArray(signers) ? signers : [signers as Signer];
  if (list.length === 0) throw new DsseError('at least one signer is required');
  const message = pae(payloadType, payload);
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: list.map((signer) => ({
      keyid: signer.keyId,
      sig: signBytes(signer.privateKey, message).toString('base64'),
    })),
  };
}

/** Checks shape, sizes and strict base64; throws DsseError naming the first problem. */
export function parseEnvelope(value: unknown, limits: DsseLimits = DEFAULT_DSSE_LIMITS): ParsedEnvelope {
  if (!isRecord(value)) throw new DsseError('envelope must be an object');
  const { payloadType, payload, signatures } = value;
  if (typeof payloadType !== 'string' || payloadType.length === 0)
    throw new DsseError('payloadType must be a non-empty string');
  if (payloadType.length > limits.maxPayloadTypeLength) throw new DsseError('payloadType is too long');
  if (!Array.isArray(signatures) || signatures.length === 0)
    throw new DsseError('signatures must be a non-empty array');
  if (signatures.length > limits.maxSignatures)
    throw new DsseError(`more than ${limits.maxSignatures} signatures`);
  try {
    return {
      payloadType,
      payload: decodeBase64(payload, 'payload', limits.maxPayloadBytes),
      signatures: signatures.map((entry: unknown, i) => {
        if (!isRecord(entry)) throw new DsseError(`signatures[${i}] must be an object`);
        const keyid = entry.keyid ?? '';
        if (typeof keyid !== 'string' || keyid.length > limits.maxKeyIdLength)
          throw new DsseError(`signatures[${i}].keyid must be a string of at most ${limits.maxKeyIdLength}`);
        // 64 bytes is Ed25519's size; 1 KiB leaves room for other schemes without unbounded input.
        return { keyid, sig: decodeBase64(entry.sig, `signatures[${i}].sig`, 1024) };
      }),
    };
  } catch (error) {
    if (error instanceof DsseError) throw error;
    throw new DsseError((error as Error).message);
  }
}

/** One signature against one key; false for any mismatch, never throws. */
export function verifyEnvelopeSignature(
  envelope: ParsedEnvelope,
  sig: Uint8Array,
  publicKey: KeyObject,
): boolean {
  return verifyBytes(publicKey, pae(envelope.payloadType, envelope.payload), sig);
}

export interface VerifiedEnvelope extends ParsedEnvelope {
  /** Key ids (deduplicated, in envelope order) whose trusted key verified its signature. */
  verifiedKeyIds: string[];
}

/**
 * Verifies every signature whose keyid names a trusted key. The keyid is only a lookup hint
 * (unauthenticated): a signature counts solely because the key it names verifies it, and
 * signatures naming unknown keys are ignored, as the DSSE protocol asks. Throws on malformed input.
 */
export function verifyEnvelope(
  envelope: unknown,
  trustedKeys: ReadonlyMap<string, KeyObject>,
  limits: DsseLimits = DEFAULT_DSSE_LIMITS,
): VerifiedEnvelope {
  const parsed = parseEnvelope(envelope, limits);
  const message = pae(parsed.payloadType, parsed.payload);
  const verified = new Set<string>();
  for (const { keyid, sig } of parsed.signatures) {
    const key = trustedKeys.get(keyid);
    if (key && !verified.has(keyid) && verifyBytes(key, message, sig)) verified.add(keyid);
  }
  return { ...parsed, verifiedKeyIds: [...verified] };
}
