import { createHash, type KeyObject } from 'node:crypto';
import {
  canonicalize,
  hashLeaf,
  MerkleTree,
  signJson,
  verifyJson,
  type DetachedSignature,
  type Signer,
} from '@personae/crypto';

/**
 * A ledger checkpoint, like a CloudTrail digest file: covers the entries appended since the
 * previous one, [fromPosition, toPosition] of one tenant's chain. It commits to them twice: the
 * RFC 9162 Merkle root over their chain hashes (leaf = SHA-256(0x00 ‖ 32-byte chain hash)) and the
 * chain head (the hash of entry toPosition), and to its predecessor by the SHA-256 of that
 * statement's canonical JSON, so checkpoints form a chain of their own. Signed with the ledger's
 * Ed25519 key as a detached signature over PAE(CHECKPOINT_PAYLOAD_TYPE, canonical JSON).
 */
export const CHECKPOINT_FORMAT = 'personae.audit.checkpoint/v1';
export const CHECKPOINT_PAYLOAD_TYPE = 'application/vnd.personae.audit-checkpoint+json';
export const NO_PREVIOUS = '0'.repeat(64);

export interface CheckpointStatement {
  format: typeof CHECKPOINT_FORMAT;
  tenantId: string;
  /** 0, 1, 2 … per tenant. */
  sequence: number;
  fromPosition: number;
  toPosition: number;
  /** Hex Merkle root over the chain hashes of [fromPosition, toPosition]. */
  merkleRoot: string;
  /** Hex chain hash of entry toPosition. */
  chainHead: string;
  /** Hex SHA-256 of the previous statement's canonical JSON; zeros for the first. */
  previous: string;
  createdAt: string;
}

export interface SignedCheckpoint {
  statement: CheckpointStatement;
  signature: DetachedSignature;
}

/** Merkle root over chain hashes, streamed: push each hash in position order. */
export class CheckpointRoot {
  private readonly tree = new MerkleTree();

  push(chainHash: Uint8Array): void {
    this.tree.appendLeafHash(hashLeaf(chainHash));
  }

  get size(): number {
    return this.tree.size;
  }

  rootHex(): string {
    return this.tree.root().toString('hex');
  }
}

export function statementDigest(statement: CheckpointStatement): string {
  return createHash('sha256').update(canonicalize(statement), 'utf8').digest('hex');
}

export function signCheckpoint(statement: CheckpointStatement, signer: Signer): SignedCheckpoint {
  return { statement, signature: signJson(statement, CHECKPOINT_PAYLOAD_TYPE, signer) };
}

export function checkCheckpointSignature(
  checkpoint: SignedCheckpoint,
  keys: ReadonlyMap<string, KeyObject>,
): { ok: true } | { ok: false; reason: string } {
  const check = verifyJson(checkpoint.statement, checkpoint.signature, CHECKPOINT_PAYLOAD_TYPE, keys);
  return check.ok ? { ok: true } : { ok: false, reason: check.reason };
}
