import type { KeyObject } from 'node:crypto';
import { signBytes, verifyBytes, type Signer } from './ed25519-keys';
import { decodeBase64 } from './encoding';
import { HASH_SIZE } from './merkle-tree';

/**
 * A signed tree head in the C2SP tlog-checkpoint body wrapped in a C2SP signed note, the format
 * Rekor checkpoints (and so Sigstore bundles' inclusionProof.checkpoint.envelope) use:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\nTimestamp: <unix ns>\n
 *   \n
 *   — <origin> <base64(4-byte key hint ‖ 64-byte Ed25519 signature)>\n
 *
 * The signature covers the body (everything before the blank line, final newline included).
 * Key hint: the first 4 bytes of the log's key id (SHA-256 of its SPKI DER), Rekor's and
 * sigstore-js's convention. C2SP's own Ed25519 note keys hash name ‖ 0x0A ‖ 0x01 ‖ raw key
 * instead; we follow Sigstore so its verifiers can check our checkpoints with a custom trust root.
 */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  /** Milliseconds since the epoch, from the log's clock; written as Rekor's `Timestamp: <ns>` line. */
  timestamp: number;
}

/** What a verifier needs to trust one log: its name and its key (id precomputed once). */
export interface LogKey {
  origin: string;
  publicKey: KeyObject;
  keyId: string;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

const MAX_NOTE_LENGTH = 8192;
/** Doubles as a C2SP key name, so: printable ASCII, no spaces, no '+'. */
const ORIGIN = /^[\x21-\x2a\x2c-\x7e]{1,255}$/;
const EM_DASH = '\u2014';

export function checkpointBody(checkpoint: Checkpoint): string {
  assertOrigin(checkpoint.origin);
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0)
    throw new CheckpointError('tree size must be a non-negative integer');
  if (checkpoint.rootHash.length !== HASH_SIZE) throw new CheckpointError('root hash must be 32 bytes');
  if (!Number.isSafeInteger(checkpoint.timestamp) || checkpoint.timestamp < 0)
    throw new CheckpointError('timestamp must be epoch milliseconds');
  const nanos = BigInt(checkpoint.timestamp) * 1_000_000n;
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash.toString('base64')}\nTimestamp: ${nanos}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, signer: Signer): string {
  const body = checkpointBody(checkpoint);
  const signature = signBytes(signer.privateKey, Buffer.from(body, 'utf8'));
  const blob = Buffer.concat([keyHint(signer.keyId), signature]).toString('base64');
  return `${body}\n${EM_DASH} ${checkpoint.origin} ${blob}\n`;
}

/**
 * Parses a note and returns its checkpoint only if a signature line by this log's key verifies
 * and the origin is the log's. Lines signed by other keys (witness cosignatures) are ignored.
 */
export function openCheckpoint(note: string, log: LogKey): Checkpoint {
  if (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH)
    throw new CheckpointError('not a checkpoint note');
  const split = note.indexOf('\n\n');
  if (split < 0) throw new CheckpointError('checkpoint has no signature block');
  const body = note.slice(0, split + 1);
  const checkpoint = parseBody(body);
  if (checkpoint.origin !== log.origin)
    throw new CheckpointError(`checkpoint origin ${checkpoint.origin} is not ${log.origin}`);
  const lines = note.slice(split + 2);
  if (!lines.endsWith('\n')) throw new CheckpointError('signature block must end with a newline');
  const hint = keyHint(log.keyId);
  const message = Buffer.from(body, 'utf8');
  for (const line of lines.slice(0, -1).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (!match) throw new CheckpointError('malformed signature line');
    if (match[1] !== log.origin) continue;
    let blob: Buffer;
    try {
      blob = decodeBase64(match[2], 'checkpoint signature', 4 + 512);
    } catch {
      throw new CheckpointError('malformed checkpoint signature');
    }
    if (
      blob.length > 4 &&
      blob.subarray(0, 4).equals(hint) &&
      verifyBytes(log.publicKey, message, blob.subarray(4))
    )
      return checkpoint;
  }
  throw new CheckpointError('no valid signature by the log key');
}

/** The body alone, unverified: for logging and error messages, never for trust decisions. */
export function parseBody(body: string): Checkpoint {
  const lines = body.split('\n');
  // body ends with '\n', so the last element is ''.
  if (lines.length < 4 || lines[lines.length - 1] !== '')
    throw new CheckpointError('checkpoint body is truncated');
  const [origin, size, root, ...extensions] = lines.slice(0, -1) as [string, string, string, ...string[]];
  assertOrigin(origin);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new CheckpointError('checkpoint tree size is not a decimal integer');
  let rootHash: Buffer;
  try {
    rootHash = decodeBase64(root, 'root hash', HASH_SIZE);
  } catch {
    throw new CheckpointError('checkpoint root hash is not base64');
  }
  if (rootHash.length !== HASH_SIZE) throw new CheckpointError('checkpoint root hash is not 32 bytes');
  let timestamp = 0;
  for (const line of extensions) {
    if (line === '') throw new CheckpointError('empty extension line');
    const ts = /^Timestamp: ([0-9]{1,25})$/.exec(line);
    if (ts) timestamp = Number(BigInt(ts[1]!) / 1_000_000n);
  }
  return { origin, treeSize: Number(size), rootHash, timestamp };
}

function keyHint(keyIdHex: string): Buffer {
  return Buffer.from(keyIdHex.slice(0, 8), 'hex');
}

function assertOrigin(origin: string): void {
  if (!ORIGIN.test(origin))
    throw new CheckpointError('origin must be 1-255 printable ASCII characters without spaces or "+"');
}
