import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import {
  parseEnvelope,
  type DsseEnvelope,
  type DsseLimits,
  DEFAULT_DSSE_LIMITS,
  type ParsedEnvelope,
} from './dsse';
import { decodeBase64, EncodingError, isJsonObject, parseUint } from './encoding';
import { HASH_SIZE } from './merkle-tree';
import type { LogEntryProof } from './transparency-log';

/**
 * Sigstore bundle v0.3 (sigstore/protobuf-specs `dev.sigstore.bundle.v1.Bundle`) in its proto3
 * JSON form: lowerCamel names, int64 as decimal strings, bytes as standard base64. We fill the
 * key-based variant: `verificationMaterial.publicKey.hint` names our key id and the content is a
 * `dsseEnvelope`. Our own RFC 9162 log takes Rekor's place in `tlogEntries`, shaped exactly like a
 * Rekor v1 entry: the leaf (`canonicalizedBody`) is a Rekor `dsse` v0.0.1 body, the log id is the
 * SHA-256 of the log key's SPKI, the checkpoint is a signed note. So a Sigstore verifier given a
 * trusted root that lists our log key can check inclusion too; without it, only the signature.
 */
export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const DSSE_LOG_KIND = { kind: 'dsse', version: '0.0.1' } as const;

export interface TransparencyLogEntryJson {
  logIndex: string;
  logId: { keyId: string };
  kindVersion: { kind: string; version: string };
  integratedTime: string;
  inclusionProof: {
    logIndex: string;
    rootHash: string;
    treeSize: string;
    hashes: string[];
    checkpoint: { envelope: string };
  };
  canonicalizedBody: string;
}

export interface SigstoreBundle {
  mediaType: typeof SIGSTORE_BUNDLE_V03;
  verificationMaterial: { publicKey: { hint: string }; tlogEntries: TransparencyLogEntryJson[] };
  dsseEnvelope: DsseEnvelope;
}

export interface ParsedLogEntry {
  logIndex: number;
  logId: Buffer;
  kind: string;
  version: string;
  /** Seconds since the epoch, as Rekor writes it. */
  integratedTime: number;
  proof: { logIndex: number; rootHash: Buffer; treeSize: number; hashes: Buffer[]; checkpoint: string };
  body: Buffer;
}

export interface ParsedBundle {
  keyHint: string;
  envelope: ParsedEnvelope;
  tlogEntries: ParsedLogEntry[];
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/**
 * The log leaf for a DSSE envelope, as Rekor's `dsse` v0.0.1 type canonicalizes it: hashes of the
 * envelope and payload, the signature and the verifier (base64 of the PEM public key).
 */
export function dsseLogBody(envelope: DsseEnvelope, publicKeyPem: string): Buffer {
  const payload = Buffer.from(envelope.payload, 'base64');
  const body = {
    apiVersion: DSSE_LOG_KIND.version,
    kind: DSSE_LOG_KIND.kind,
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(canonicalize(envelope), 'utf8')) },
      payloadHash: { algorithm: 'sha256', value: sha256Hex(payload) },
      signatures: envelope.signatures.map((s) => ({
        signature: s.sig,
        verifier: Buffer.from(publicKeyPem, 'utf8').toString('base64'),
      })),
    },
  };
  return Buffer.from(canonicalize(body), 'utf8');
}

/** What sigstore-js checks of a dsse body, and we too: one signature, equal to ours; payload hash. */
export function checkDsseLogBody(body: Buffer, envelope: ParsedEnvelope): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'log entry body is not JSON';
  }
  if (
    !isJsonObject(parsed) ||
    parsed.kind !== DSSE_LOG_KIND.kind ||
    parsed.apiVersion !== DSSE_LOG_KIND.version
  )
    return 'log entry body is not a dsse v0.0.1 entry';
  const spec = parsed.spec;
  if (!isJsonObject(spec) || !Array.isArray(spec.signatures) || spec.signatures.length !== 1)
    return 'log entry must carry exactly one signature';
  const [logged] = spec.signatures as unknown[];
  const sig = envelope.signatures[0]?.sig;
  if (
    !isJsonObject(logged) ||
    typeof logged.signature !== 'string' ||
    !sig ||
    logged.signature !== sig.toString('base64')
  )
    return 'log entry signature differs from the envelope signature';
  const payloadHash = spec.payloadHash;
  if (
    !isJsonObject(payloadHash) ||
    payloadHash.algorithm !== 'sha256' ||
    payloadHash.value !== sha256Hex(envelope.payload)
  )
    return 'log entry payload hash differs from the envelope payload';
  return undefined;
}

export function buildBundle(input: {
  envelope: DsseEnvelope;
  keyId: string;
  logKeyId: string;
  body: Buffer;
  entry: LogEntryProof;
}): SigstoreBundle {
  const { entry } = input;
  const logIndex = String(entry.logIndex);
  return {
    mediaType: SIGSTORE_BUNDLE_V03,
    verificationMaterial: {
      publicKey: { hint: input.keyId },
      tlogEntries: [
        {
          logIndex,
          logId: { keyId: Buffer.from(input.logKeyId, 'hex').toString('base64') },
          kindVersion: { ...DSSE_LOG_KIND },
          integratedTime: String(Math.floor(entry.integratedTime / 1000)),
          inclusionProof: {
            logIndex,
            rootHash: entry.rootHash.toString('base64'),
            treeSize: String(entry.treeSize),
            hashes: entry.hashes.map((h) => h.toString('base64')),
            checkpoint: { envelope: entry.checkpoint },
          },
          canonicalizedBody: input.body.toString('base64'),
        },
      ],
    },
    dsseEnvelope: input.envelope,
  };
}

export interface BundleLimits extends DsseLimits {
  maxTlogEntries: number;
  maxProofHashes: number;
  maxBodyBytes: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  ...DEFAULT_DSSE_LIMITS,
  maxTlogEntries: 4,
  maxProofHashes: 64,
  maxBodyBytes: 64 * 1024,
};

/** Validates and decodes a v0.3 key-hint DSSE bundle; throws BundleError naming the first problem. */
export function parseBundle(value: unknown, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): ParsedBundle {
  if (!isJsonObject(value)) throw new BundleError('bundle must be an object');
  if (value.mediaType !== SIGSTORE_BUNDLE_V03)
    throw new BundleError(`mediaType must be ${SIGSTORE_BUNDLE_V03}`);
  const material = value.verificationMaterial;
  if (!isJsonObject(material)) throw new BundleError('verificationMaterial is missing');
  const publicKey = material.publicKey;
  if (!isJsonObject(publicKey) || typeof publicKey.hint !== 'string' || publicKey.hint.length === 0)
    throw new BundleError('verificationMaterial.publicKey.hint is required');
  if (publicKey.hint.length > limits.maxKeyIdLength) throw new BundleError('public key hint is too long');
  const entries = material.tlogEntries ?? [];
  if (!Array.isArray(entries) || entries.length > limits.maxTlogEntries)
    throw new BundleError(`tlogEntries must be an array of at most ${limits.maxTlogEntries}`);
  if (!('dsseEnvelope' in value)) throw new BundleError('bundle carries no dsseEnvelope');
  try {
    const envelope = parseEnvelope(value.dsseEnvelope, limits);
    // Sigstore bundles hold exactly one DSSE signature; the log body binds that one.
    if (envelope.signatures.length !== 1)
      throw new BundleError('dsseEnvelope must carry exactly one signature');
    return {
      keyHint: publicKey.hint,
      envelope,
      tlogEntries: entries.map((entry: unknown, i) => parseLogEntry(entry, `tlogEntries[${i}]`, limits)),
    };
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError((error as Error).message);
  }
}

function parseLogEntry(entry: unknown, at: string, limits: BundleLimits): ParsedLogEntry {
  if (!isJsonObject(entry)) throw new BundleError(`${at} must be an object`);
  const { logId, kindVersion, inclusionProof: proof } = entry;
  if (!isJsonObject(logId)) throw new BundleError(`${at}.logId is missing`);
  if (
    !isJsonObject(kindVersion) ||
    typeof kindVersion.kind !== 'string' ||
    typeof kindVersion.version !== 'string'
  )
    throw new BundleError(`${at}.kindVersion is missing`);
  // v0.3 requires an inclusion proof with a checkpoint; a bare promise is not enough.
  if (!isJsonObject(proof)) throw new BundleError(`${at}.inclusionProof is required`);
  const checkpoint = proof.checkpoint;
  if (!isJsonObject(checkpoint) || typeof checkpoint.envelope !== 'string')
    throw new BundleError(`${at}.inclusionProof.checkpoint.envelope is required`);
  if (!Array.isArray(proof.hashes) || proof.hashes.length > limits.maxProofHashes)
    throw new BundleError(`${at}.inclusionProof.hashes must be an array of at most ${limits.maxProofHashes}`);
  try {
    return {
      logIndex: parseUint(entry.logIndex, `${at}.logIndex`),
      logId: decodeBase64(logId.keyId, `${at}.logId.keyId`, HASH_SIZE),
      kind: kindVersion.kind,
      version: kindVersion.version,
      integratedTime: parseUint(entry.integratedTime, `${at}.integratedTime`),
      proof: {
        logIndex: parseUint(proof.logIndex, `${at}.inclusionProof.logIndex`),
        rootHash: decodeBase64(proof.rootHash, `${at}.inclusionProof.rootHash`, HASH_SIZE),
        treeSize: parseUint(proof.treeSize, `${at}.inclusionProof.treeSize`),
        hashes: proof.hashes.map((h: unknown, j) =>
          decodeBase64(h, `${at}.inclusionProof.hashes[${j}]`, HASH_SIZE),
        ),
        checkpoint: checkpoint.envelope,
      },
      body: decodeBase64(entry.canonicalizedBody, `${at}.canonicalizedBody`, limits.maxBodyBytes),
    };
  } catch (error) {
    if (error instanceof EncodingError) throw new BundleError(error.message);
    throw error;
  }
}

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
