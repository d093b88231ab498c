import type { Signer } from './ed25519-keys';
import { hashLeaf, MerkleTree } from './merkle-tree';
import { signCheckpoint, type Checkpoint } from './signed-checkpoint';

/** Everything a client needs to prove one entry's inclusion, as of the tree right after it. */
export interface LogEntryProof {
  logIndex: number;
  /** Epoch milliseconds at which the log integrated the entry. */
  integratedTime: number;
  leafHash: Buffer;
  treeSize: number;
  rootHash: Buffer;
  /** RFC 9162 inclusion path, leaf side first. */
  hashes: Buffer[];
  /** Signed note over (origin, treeSize, rootHash, time). */
  checkpoint: string;
}

/**
 * An RFC 9162 log in memory: a Merkle tree plus the key that signs its checkpoints. The signer
 * service persists leaves (and rebuilds with MerkleTree.fromLeafHashes at start); proofs and
 * checkpoints come from here either way.
 */
export class TransparencyLog {
  constructor(
    readonly origin: string,
    private readonly signer: Signer,
    readonly tree: MerkleTree = new MerkleTree(),
    private readonly clock: () => number = Date.now,
  ) {}

  get keyId(): string {
    return this.signer.keyId;
  }

  get size(): number {
    return this.tree.size;
  }

  /** Appends a leaf and returns its proof against a freshly signed checkpoint. */
  append(leaf: Uint8Array): LogEntryProof {
    const leafHash = hashLeaf(leaf);
    const logIndex = this.tree.appendLeafHash(leafHash);
    const integratedTime = this.clock();
    const treeSize = this.tree.size;
    const rootHash = this.tree.root(treeSize);
    return {
      logIndex,
      integratedTime,
      leafHash,
      treeSize,
      rootHash,
      hashes: this.tree.inclusionProof(logIndex, treeSize),
      checkpoint: signCheckpoint(
        { origin: this.origin, treeSize, rootHash, timestamp: integratedTime },
        this.signer,
      ),
    };
  }

  /** The signed tree head for the current (or an earlier) size, as served at GET /checkpoint. */
  checkpoint(treeSize = this.tree.size): { checkpoint: Checkpoint; note: string } {
    const checkpoint = {
      origin: this.origin,
      treeSize,
      rootHash: this.tree.root(treeSize),
      timestamp: this.clock(),
    };
    return { checkpoint, note: signCheckpoint(checkpoint, this.signer) };
  }

  inclusionProof(logIndex: number, treeSize = this.tree.size): Buffer[] {
    return this.tree.inclusionProof(logIndex, treeSize);
  }

  consistencyProof(firstSize: number, secondSize = this.tree.size): Buffer[] {
    return this.tree.consistencyProof(firstSize, secondSize);
  }
}
