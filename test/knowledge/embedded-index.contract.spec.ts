import { EmbeddedVectorIndex, KNOWLEDGE_MIGRATIONS, KNOWLEDGE_SCHEMA } from '@personae/knowledge';
import { openServiceDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { describeVectorIndexContract } from './vector-index.contract';

const open = (): Promise<DataSource> =>
  openServiceDataSource(
    process.env.DATABASE_URL ?? '',
    { schema: KNOWLEDGE_SCHEMA, migrations: KNOWLEDGE_MIGRATIONS },
    4,
  );

describeVectorIndexContract('embedded (Postgres + in-process search)', async () => {
  const dataSource = await open();
  return { index: new EmbeddedVectorIndex(dataSource), close: () => dataSource.destroy() };
});

describe('embedded vector index', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await open();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  const unit = (...values: number[]): Float32Array => {
    const v = Float32Array.from(values);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const scope = (name: string) => ({
    tenantId: `embedded-${process.pid}`,
    snapshotId: `${name}-${Date.now()}`,
  });

  it('sees writes made by another instance (another replica) despite its cache', async () => {
    const s = scope('replica');
    const reader = new EmbeddedVectorIndex(dataSource);
    const writer = new EmbeddedVectorIndex(dataSource);
    await writer.upsert(s, [
      { id: 'a', vector: unit(1, 0, 0), payload: { source: 'x', tags: [], ordinal: 0 } },
    ]);
    expect((await reader.search(s, unit(0, 1, 0), 5)).map((h) => h.id)).toEqual(['a']);
    await writer.upsert(s, [
      { id: 'b', vector: unit(0, 1, 0), payload: { source: 'x', tags: [], ordinal: 1 } },
    ]);
    expect((await reader.search(s, unit(0, 1, 0), 5)).map((h) => h.id)).toEqual(['b', 'a']);
    await writer.deleteSnapshot(s);
    expect(await reader.search(s, unit(0, 1, 0), 5)).toEqual([]);
  });

  it('refuses vectors of another dimension than the snapshot holds', async () => {
    const s = scope('dimension');
    const index = new EmbeddedVectorIndex(dataSource);
    await index.upsert(s, [
      { id: 'a', vector: unit(1, 0, 0), payload: { source: 'x', tags: [], ordinal: 0 } },
    ]);
    await expect(
      index.upsert(s, [{ id: 'b', vector: unit(1, 0), payload: { source: 'x', tags: [], ordinal: 1 } }]),
    ).rejects.toThrow(/dimension 3, got 2/);
    await expect(index.search(s, unit(1, 0), 1)).rejects.toThrow(/dimension 3, got 2/);
  });

  it('loads a snapshot larger than one page, and keeps within its cache budget', async () => {
    const s1 = scope('paged');
    const s2 = scope('paged-2');
    const index = new EmbeddedVectorIndex(dataSource, { pageSize: 7, cacheBytes: 60 * 120 });
    const many = Array.from({ length: 50 }, (_, i) => ({
      id: `p${String(i).padStart(2, '0')}`,
      vector: unit(Math.cos(i / 10), Math.sin(i / 10)),
      payload: { source: 'x', tags: [], ordinal: i },
    }));
    await index.upsert(s1, many);
    await index.upsert(s2, many.slice(0, 10));
    for (const i of [0, 13, 49])
      expect((await index.search(s1, many[i]!.vector, 1))[0]?.id).toBe(many[i]!.id);
    expect((await index.search(s2, many[9]!.vector, 1))[0]?.id).toBe('p09');
    expect(await index.search(s1, many[0]!.vector, 100)).toHaveLength(50);
  });
});
