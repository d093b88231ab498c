import { createHash } from 'node:crypto';
import { canonicalize } from '@personae/crypto';
import {
  chunkId,
  contentHash,
  ManifestHasher,
  manifestDigest,
  type ManifestEntry,
} from './snapshot-manifest';

describe('snapshot manifest', () => {
  const entries: ManifestEntry[] = Array.from({ length: 50 }, (_, i) => {
    const hash = contentHash(`chunk text ${i} — ünïcode`);
    return { id: chunkId('ks-x', i, hash), contentHash: hash };
  });

  it('hashes content as sha256 and ids from (snapshot, ordinal, content)', () => {
    expect(contentHash('abc')).toBe(`sha256:${createHash('sha256').update('abc').digest('hex')}`);
    const hash = contentHash('same text');
    expect(chunkId('ks-a', 0, hash)).toMatch(/^[0-9a-f]{32}$/);
    expect(chunkId('ks-a', 0, hash)).not.toBe(chunkId('ks-a', 1, hash));
    expect(chunkId('ks-a', 0, hash)).not.toBe(chunkId('ks-b', 0, hash));
    expect(chunkId('ks-a', 0, hash)).not.toBe(chunkId('ks-a', 0, contentHash('other')));
  });

  it('is the sha256 of the canonical JSON of the sorted manifest, whatever the input order', () => {
    const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : 1));
    const expected = `sha256:${createHash('sha256')
      .update(canonicalize({ snapshot: 'ks-x', embedder: 'hashing-v1@512', chunks: sorted }))
      .digest('hex')}`;
    expect(manifestDigest({ snapshot: 'ks-x', embedder: 'hashing-v1@512', chunks: entries })).toBe(expected);
    expect(
      manifestDigest({ snapshot: 'ks-x', embedder: 'hashing-v1@512', chunks: [...entries].reverse() }),
    ).toBe(expected);
  });

  it('computes the same digest entry by entry, and refuses entries out of order', () => {
    const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : 1));
    const hasher = new ManifestHasher('ks-x', 'hashing-v1@512');
    for (const entry of sorted) hasher.add(entry);
    expect(hasher.digest()).toBe(
      manifestDigest({ snapshot: 'ks-x', embedder: 'hashing-v1@512', chunks: entries }),
    );
    const empty = new ManifestHasher('ks-x', 'e');
    expect(empty.digest()).toBe(manifestDigest({ snapshot: 'ks-x', embedder: 'e', chunks: [] }));
    const wrong = new ManifestHasher('ks-x', 'e');
    wrong.add(sorted[1]!);
    expect(() => wrong.add(sorted[0]!)).toThrow(/out of order/);
  });

  it('changes with any content hash, id or embedder', () => {
    const base = manifestDigest({ snapshot: 'ks-x', embedder: 'hashing-v1@512', chunks: entries });
    const tampered = entries.map((e, i) => (i === 7 ? { ...e, contentHash: contentHash('changed') } : e));
    expect(manifestDigest({ snapshot: 'ks-x', embedder: 'hashing-v1@512', chunks: tampered })).not.toBe(base);
    expect(manifestDigest({ snapshot: 'ks-x', embedder: 'hashing-v1@1024', chunks: entries })).not.toBe(base);
    expect(
      manifestDigest({ snapshot: 'ks-x', embedder: 'hashing-v1@512', chunks: entries.slice(1) }),
    ).not.toBe(base);
  });
});
