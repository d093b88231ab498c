import { hash } from 'node:crypto';

/**
 * RFC 9162 §2.1 Merkle Tree Hash over SHA-256, its inclusion and consistency proofs, and an
 * append-only in-memory tree. Sizes and indexes are JS numbers (safe integers), so all index
 * arithmetic below uses division rather than 32-bit bit operators.
 */
export const HASH_SIZE = 32;

/** MTH of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT = hash('sha256', Buffer.alloc(0), 'buffer');

export function hashLeaf(leaf: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(leaf.length + 1);
  input[0] = 0x00;
  input.set(leaf, 1);
  return hash('sha256', input, 'buffer');
}

const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  // One reused input buffer: node hashing dominates rebuilds and proofs, so no concat per node.
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

/** Largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or undefined when the proof's length
 * does not fit (index, size). Compare the result with a root you trust.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Buffer | undefined {
  if (!validIndex(leafIndex, treeSize) || leafHash.length !== HASH_SIZE) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0 || p.length !== HASH_SIZE) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(leafHash, leafIndex, treeSize, proof);
  return computed !== undefined && computed.equals(root);
}

/**
 * RFC 9162 §2.1.4.2, plus the two cases the RFC leaves to the caller: equal sizes need an empty
 * proof and equal roots; an empty first tree is consistent with anything.
 */
export function verifyConsistency(
  firstSize: number,
  secondSize: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(firstSize) || !Number.isSafeInteger(secondSize)) return false;
  if (firstSize < 0 || firstSize > secondSize) return false;
  if (firstSize === 0) return proof.length === 0;
  if (firstSize === secondSize) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  const path = isPowerOfTwo(firstSize) ? [firstRoot, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/**
 * Append-only tree keeping every complete subtree hash: level k holds the hashes of leaves
 * [i·2^k, (i+1)·2^k). Appends cost O(1) amortised hashes, roots and proofs O(log n) node reads
 * plus O(log n) hashes for the ragged right edge. About 2n hashes of memory (64 MB per million).
 */
export class MerkleTree {
  private readonly levels: HashLevel[] = [new HashLevel()];

  /** Rebuilds from stored leaf hashes (e.g. read back from Postgres) without re-hashing leaves. */
  static fromLeafHashes(leafHashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const leafHash of leafHashes) tree.appendLeafHash(leafHash);
    return tree;
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Hashes and appends a leaf; returns its index. */
  append(leaf: Uint8Array): number {
    return this.appendLeafHash(hashLeaf(leaf));
  }

  appendLeafHash(leafHash: Uint8Array): number {
    if (leafHash.length !== HASH_SIZE) throw new RangeError('a leaf hash is 32 bytes');
    const index = this.size;
    let node: Uint8Array = leafHash;
    for (let level = 0; ; level++) {
      const store = (this.levels[level] ??= new HashLevel());
      store.push(node);
      // An even count means this node just completed a pair: carry the parent up a level.
      if (store.length % 2 === 1) break;
      node = hashChildren(store.get(store.length - 2), node);
    }
    return index;
  }

  leafHash(index: number): Buffer {
    this.checkIndex(index, this.size);
    return Buffer.from(this.levels[0]!.get(index));
  }

  root(treeSize = this.size): Buffer {
    this.checkSize(treeSize);
    return treeSize === 0 ? Buffer.from(EMPTY_ROOT) : Buffer.from(this.subtree(0, treeSize));
  }

  /** RFC 9162 §2.1.3.1 PATH(m, D[n]), leaf side first. */
  inclusionProof(leafIndex: number, treeSize = this.size): Buffer[] {
    this.checkSize(treeSize);
    this.checkIndex(leafIndex, treeSize);
    const proof: Buffer[] = [];
    this.path(leafIndex, 0, treeSize, proof);
    return proof.map((h) => Buffer.from(h));
  }

  /** RFC 9162 §2.1.4.1 PROOF(m, D[n]); empty when m is 0 or m equals n. */
  consistencyProof(firstSize: number, secondSize = this.size): Buffer[] {
    this.checkSize(secondSize);
    if (!Number.isSafeInteger(firstSize) || firstSize < 0 || firstSize > secondSize)
      throw new RangeError(`no consistency proof from ${firstSize} to ${secondSize}`);
    if (firstSize === 0 || firstSize === secondSize) return [];
    const proof: Buffer[] = [];
    this.subproof(firstSize, 0, secondSize, true, proof);
    return proof.map((h) => Buffer.from(h));
  }

  private path(m: number, start: number, end: number, out: Buffer[]): void {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, start, start + k, out);
      out.push(this.subtree(start + k, end));
    } else {
      this.path(m - k, start + k, end, out);
      out.push(this.subtree(start, start + k));
    }
  }

  private subproof(m: number, start: number, end: number, complete: boolean, out: Buffer[]): void {
    const n = end - start;
    if (m === n) {
      if (!complete) out.push(this.subtree(start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, start, start + k, complete, out);
      out.push(this.subtree(start + k, end));
    } else {
      this.subproof(m - k, start + k, end, false, out);
      out.push(this.subtree(start, start + k));
    }
  }

  /** MTH(D[start:end]); start is always aligned to the subtree size, as RFC 9162's recursion makes it. */
  private subtree(start: number, end: number): Buffer {
    const n = end - start;
    if (isPowerOfTwo(n) && start % n === 0) return this.levels[Math.log2(n)]!.get(start / n);
    const k = splitPoint(n);
    return hashChildren(this.subtree(start, start + k), this.subtree(start + k, end));
  }

  private checkSize(treeSize: number): void {
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > this.size)
      throw new RangeError(`tree size ${treeSize} is outside 0..${this.size}`);
  }

  private checkIndex(index: number, treeSize: number): void {
    if (!validIndex(index, treeSize)) throw new RangeError(`leaf ${index} is outside a tree of ${treeSize}`);
  }
}

function validIndex(index: number, treeSize: number): boolean {
  return Number.isSafeInteger(index) && Number.isSafeInteger(treeSize) && index >= 0 && index < treeSize;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n)) && 2 ** Math.log2(n) === n;
}

/** Hashes of one level in fixed 128 KiB chunks: no per-hash objects, no reallocation copies. */
class HashLevel {
  private static readonly PER_CHUNK = 4096;
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(node: Uint8Array): void {
    const offset = this.length % HashLevel.PER_CHUNK;
    if (offset === 0) this.chunks.push(Buffer.allocUnsafe(HashLevel.PER_CHUNK * HASH_SIZE));
    this.chunks[this.chunks.length - 1]!.set(node, offset * HASH_SIZE);
    this.length++;
  }

  get(index: number): Buffer {
    const chunk = this.chunks[Math.floor(index / HashLevel.PER_CHUNK)]!;
    const offset = (index % HashLevel.PER_CHUNK) * HASH_SIZE;
    return chunk.subarray(offset, offset + HASH_SIZE);
  }
}
