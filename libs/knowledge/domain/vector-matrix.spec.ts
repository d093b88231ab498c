import { VectorMatrix } from './vector-matrix';

describe('vector matrix', () => {
  it('scores by dot product and filters by source and every tag', () => {
    const matrix = new VectorMatrix(3, 4);
    matrix.set(0, 'a', Float32Array.from([1, 0, 0, 0]), { source: 's1', tags: ['x'], ordinal: 0 });
    matrix.set(1, 'b', Float32Array.from([0.6, 0.8, 0, 0]), { source: 's2', tags: ['x', 'y'], ordinal: 1 });
    matrix.set(2, 'c', Float32Array.from([0, 0, 1, 0]), { source: 's2', tags: [], ordinal: 2 });
    const query = Float32Array.from([1, 0, 0, 0]);
    expect(matrix.search(query, 3).map((h) => [h.id, Math.round(h.score * 100) / 100])).toEqual([
      ['a', 1],
      ['b', 0.6],
      ['c', 0],
    ]);
    expect(matrix.search(query, 3, { sources: ['s2'] }).map((h) => h.id)).toEqual(['b', 'c']);
    expect(matrix.search(query, 3, { tags: ['x', 'y'] }).map((h) => h.id)).toEqual(['b']);
    expect(matrix.search(query, 3, { sources: ['s1'], tags: ['y'] })).toEqual([]);
  });
});
