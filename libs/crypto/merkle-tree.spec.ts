import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  MerkleTree,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree';

// An independent, deliberately naive transcription of RFC 9162 §2.1: recursion over leaf lists.
const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]!);
  return sha(Buffer.from([1]), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s
    ? [...path(m, d.slice(0, s)), mth(d.slice(s))]
    : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

const leaves = Array.from({ length: 64 }, (_, i) => Buffer.from(`leaf ${i}`));
const tree = new MerkleTree();
leaves.forEach((leaf) => tree.append(leaf));
const flip = (b: Buffer, at = 0): Buffer => {
  const copy = Buffer.from(b);
  copy[at]! ^= 1;
  return copy;
};

describe('RFC 9162 Merkle tree', () => {
  it('matches the RFC 6962 / CT reference roots for the standard 8 test leaves', () => {
    const hex = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ];
    const ct = new MerkleTree();
    hex.forEach((h) => ct.append(Buffer.from(h, 'hex')));
    expect(ct.root(1).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(ct.root(3).toString('hex')).toBe(
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    );
    expect(ct.root(5).toString('hex')).toBe(
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    );
    expect(ct.root(8).toString('hex')).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
    expect(new MerkleTree().root().equals(EMPTY_ROOT)).toBe(true);
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('computes the same root as the naive recursion for every size 1..64', () => {
    for (let n = 1; n <= 64; n++) {
      expect(tree.root(n).equals(mth(leaves.slice(0, n)))).toBe(true);
      const own = new MerkleTree();
      leaves.slice(0, n).forEach((leaf) => own.append(leaf));
      expect(own.root().equals(tree.root(n))).toBe(true);
    }
  });

  it('produces the naive inclusion path for every (index, size) and verifies it', () => {
    for (let n = 1; n <= 64; n++) {
      const root = tree.root(n);
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        expect(proof.map((h) => h.toString('hex'))).toEqual(
          path(m, leaves.slice(0, n)).map((h) => h.toString('hex')),
        );
        expect(verifyInclusion(hashLeaf(leaves[m]!), m, n, proof, root)).toBe(true);
      }
    }
  });

  it('rejects tampered inclusion proofs', () => {
    const n = 45;
    const root = tree.root(n);
    for (let m = 0; m < n; m++) {
      const leaf = hashLeaf(leaves[m]!);
      const proof = tree.inclusionProof(m, n);
      proof.forEach((_, i) => {
        const bad = proof.map((h, j) => (j === i ? flip(h, i % 32) : h));
        expect(verifyInclusion(leaf, m, n, bad, root)).toBe(false);
      });
      expect(verifyInclusion(flip(leaf), m, n, proof, root)).toBe(false);
      expect(verifyInclusion(leaf, m, n, proof, flip(root, 31))).toBe(false);
      expect(verifyInclusion(leaf, (m + 1) % n, n, proof, root)).toBe(false);
      // The size is bound through the root: this proof cannot reach the size-(n+1) root.
      expect(verifyInclusion(leaf, m, n + 1, proof, tree.root(n + 1))).toBe(false);
      expect(verifyInclusion(leaf, m, n, proof.slice(1), root)).toBe(false);
      expect(verifyInclusion(leaf, m, n, [...proof, root], root)).toBe(false);
    }
    expect(rootFromInclusionProof(hashLeaf(leaves[0]!), 5, 5, [])).toBeUndefined();
    expect(rootFromInclusionProof(hashLeaf(leaves[0]!), -1, 5, [])).toBeUndefined();
  });

  it('produces the naive consistency proof for every 1 <= m <= n <= 64 and verifies it', () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        const naive = m === n ? [] : subproof(m, leaves.slice(0, n), true);
        expect(proof.map((h) => h.toString('hex'))).toEqual(naive.map((h) => h.toString('hex')));
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
      }
    }
    expect(verifyConsistency(0, 10, EMPTY_ROOT, tree.root(10), [])).toBe(true);
  });

  it('rejects tampered or mismatched consistency proofs', () => {
    for (let n = 2; n <= 40; n++) {
      for (let m = 1; m < n; m++) {
        const [r1, r2, proof] = [tree.root(m), tree.root(n), tree.consistencyProof(m, n)];
        proof.forEach((_, i) => {
          expect(
            verifyConsistency(
              m,
              n,
              r1,
              r2,
              proof.map((h, j) => (j === i ? flip(h) : h)),
            ),
          ).toBe(false);
        });
        expect(verifyConsistency(m, n, flip(r1), r2, proof)).toBe(false);
        expect(verifyConsistency(m, n, r1, flip(r2), proof)).toBe(false);
        expect(verifyConsistency(m, n, r1, r2, [])).toBe(false);
        expect(verifyConsistency(m, n, r1, r2, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(m, n + 1, r1, tree.root(n + 1), proof)).toBe(false);
      }
    }
    expect(verifyConsistency(5, 5, tree.root(5), tree.root(5), [])).toBe(true);
    expect(verifyConsistency(5, 5, tree.root(5), tree.root(6), [])).toBe(false);
    expect(verifyConsistency(6, 5, tree.root(6), tree.root(5), [])).toBe(false);
  });

  it('rebuilds from stored leaf hashes to the same tree', () => {
    const rebuilt = MerkleTree.fromLeafHashes(leaves.map((leaf) => hashLeaf(leaf)));
    expect(rebuilt.size).toBe(64);
    expect(rebuilt.root().equals(tree.root())).toBe(true);
    expect(rebuilt.inclusionProof(17, 33)).toEqual(tree.inclusionProof(17, 33));
    expect(rebuilt.leafHash(9).equals(hashLeaf(leaves[9]!))).toBe(true);
  });

  it('keeps working across storage chunk boundaries', () => {
    const big = new MerkleTree();
    const hashes = Array.from({ length: 9000 }, (_, i) => hashLeaf(Buffer.from(String(i))));
    hashes.forEach((h) => big.appendLeafHash(h));
    expect(big.root(8193).equals(mth(hashes.slice(0, 8193).map((_, i) => Buffer.from(String(i)))))).toBe(
      true,
    );
    const proof = big.inclusionProof(8191, 9000);
    expect(verifyInclusion(hashes[8191]!, 8191, 9000, proof, big.root())).toBe(true);
    expect(verifyConsistency(4097, 9000, big.root(4097), big.root(), big.consistencyProof(4097))).toBe(true);
  });

  it('does not accept a proof that is too short for its (index, size), even when the hashes line up', () => {
    // An interior node posed as a leaf: H(l0,l1) at index 0 with [H(l2,l3)] hashes to the 4-root.
    const h01 = hashChildren(hashLeaf(leaves[0]!), hashLeaf(leaves[1]!));
    const h23 = hashChildren(hashLeaf(leaves[2]!), hashLeaf(leaves[3]!));
    expect(hashChildren(h01, h23).equals(tree.root(4))).toBe(true);
    expect(verifyInclusion(h01, 0, 4, [h23], tree.root(4))).toBe(false);
    // A 2→4 proof replayed as 2→5 against the 4-root.
    expect(verifyConsistency(2, 5, tree.root(2), tree.root(4), tree.consistencyProof(2, 4))).toBe(false);
  });

  it('refuses sizes and indexes outside the tree', () => {
    expect(() => tree.root(65)).toThrow(RangeError);
    expect(() => tree.inclusionProof(10, 10)).toThrow(RangeError);
    expect(() => tree.consistencyProof(11, 10)).toThrow(RangeError);
    expect(() => tree.appendLeafHash(Buffer.alloc(31))).toThrow(RangeError);
  });
});
