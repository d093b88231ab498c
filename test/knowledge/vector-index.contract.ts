import { randomBytes } from 'node:crypto';
import type { SnapshotScope, VectorFilter, VectorIndex, VectorPoint } from '@personae/knowledge';

/**
 * What every VectorIndex adapter must do (embedded index on Postgres, Qdrant): upsert, exact top-1 on
 * known items, filtered top-k in score order, replace by id, isolation by snapshot and tenant, delete.
 */
export interface VectorIndexFixture {
  index: VectorIndex;
  close?: () => Promise<void>;
}

const DIMENSION = 64;
const SOURCES = ['a.md', 'b.md', 'c.md'];

/** Deterministic pseudo-random unit vectors. */
function randomVectors(count: number, seed: number): Float32Array[] {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: DIMENSION }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

function points(count: number, seed: number): VectorPoint[] {
  return randomVectors(count, seed).map((vector, i) => ({
    id: `p${String(i).padStart(4, '0')}`,
    vector,
    payload: {
      source: SOURCES[i % 3]!,
      tags: i % 2 === 0 ? ['even'] : ['odd', i % 5 === 0 ? 'five' : 'other'],
      ordinal: i,
    },
  }));
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** The exact answer, by brute force. */
function expected(all: VectorPoint[], query: Float32Array, k: number, filter?: VectorFilter): string[] {
  return all
    .filter((p) => !filter?.sources || filter.sources.includes(p.payload.source))
    .filter((p) => (filter?.tags ?? []).every((t) => p.payload.tags.includes(t)))
    .map((p) => ({ id: p.id, score: dot(p.vector, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((p) => p.id);
}

export function describeVectorIndexContract(name: string, open: () => Promise<VectorIndexFixture>): void {
  describe(`vector index contract: ${name}`, () => {
    let fixture: VectorIndexFixture;
    let index: VectorIndex;
    const tenantId = `contract-${randomBytes(4).toString('hex')}`;
    const scope = (label: string, tenant = tenantId): SnapshotScope => ({
      tenantId: tenant,
      snapshotId: `ks-${label}-${randomBytes(4).toString('hex')}`,
    });
    const all = points(300, 42);

    beforeAll(async () => {
      fixture = await open();
      index = fixture.index;
    }, 60_000);

    afterAll(async () => {
      await fixture?.close?.();
    });

    it('finds each known item as its own exact top-1', async () => {
      const s = scope('known');
      await index.upsert(s, all);
      for (const known of all.filter((_, i) => i % 15 === 0)) {
        const [first] = await index.search(s, known.vector, 1);
        expect(first?.id).toBe(known.id);
        expect(first?.score).toBeCloseTo(1, 4);
        expect(first?.payload).toEqual(known.payload);
      }
    });

    it('returns the top k in score order, with and without payload filters', async () => {
      const s = scope('topk');
      await index.upsert(s, all);
      const [query] = randomVectors(1, 7);
      const filters: (VectorFilter | undefined)[] = [
        undefined,
        { sources: ['b.md'] },
        { sources: ['a.md', 'c.md'] },
        { tags: ['odd', 'five'] },
        { sources: ['c.md'], tags: ['even'] },
      ];
      for (const filter of filters) {
        const hits = await index.search(s, query!, 10, filter);
        expect(hits.map((h) => h.id)).toEqual(expected(all, query!, 10, filter));
        for (let i = 1; i < hits.length; i++)
          expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
        for (const hit of hits)
          expect(hit.score).toBeCloseTo(dot(all.find((p) => p.id === hit.id)!.vector, query!), 4);
      }
      expect(await index.search(s, query!, 10, { sources: ['nowhere.md'] })).toEqual([]);
    });

    it('replaces a point upserted again under the same id', async () => {
      const s = scope('replace');
      await index.upsert(s, all.slice(0, 20));
      const [moved] = randomVectors(1, 99);
      await index.upsert(s, [
        { id: 'p0003', vector: moved!, payload: { source: 'new.md', tags: ['moved'], ordinal: 3 } },
      ]);
      const [first] = await index.search(s, moved!, 1);
      expect(first).toMatchObject({ id: 'p0003', payload: { source: 'new.md', tags: ['moved'] } });
      expect((await index.search(s, all[3]!.vector, 20)).filter((h) => h.id === 'p0003')).toHaveLength(1);
      expect(await index.search(s, all[3]!.vector, 50)).toHaveLength(20);
    });

    it('keeps snapshots and tenants apart, and deletes one snapshot only', async () => {
      const first = scope('first');
      const second = scope('second');
      const foreign = { tenantId: `${tenantId}-other`, snapshotId: first.snapshotId };
      await index.upsert(first, all.slice(0, 50));
      await index.upsert(second, all.slice(50, 100));
      const target = all[10]!.vector;
      expect((await index.search(first, target, 1))[0]?.id).toBe('p0010');
      expect((await index.search(second, target, 100)).map((h) => h.id)).not.toContain('p0010');
      expect(await index.search(foreign, target, 5)).toEqual([]);

      await index.deleteSnapshot(first);
      expect(await index.search(first, target, 5)).toEqual([]);
      expect(await index.search(second, all[60]!.vector, 1)).toMatchObject([{ id: 'p0060' }]);
      // Deleting twice, or a snapshot that never existed, is not an error.
      await index.deleteSnapshot(first);
      await index.deleteSnapshot(scope('never'));
    });

    it('returns nothing for a snapshot it has never seen', async () => {
      expect(await index.search(scope('unknown'), all[0]!.vector, 5)).toEqual([]);
    });
  });
}
