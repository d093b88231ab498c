import { topK } from './top-k';

describe('top-k selection', () => {
  it('matches a full sort on random scores, ties broken by row', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const n of [0, 1, 5, 100, 5000]) {
      // Rounded so that ties happen.
      const scores = Float32Array.from({ length: n }, () => Math.round(random() * 50) / 50);
      for (const k of [1, 3, 10, 200]) {
        const expected = Array.from(scores, (score, row) => ({ row, score }))
          .sort((a, b) => b.score - a.score || a.row - b.row)
          .slice(0, k);
        expect(topK(scores, k)).toEqual(expected);
      }
    }
  });

  it('keeps only accepted rows and returns nothing for k 0', () => {
    const scores = Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5]);
    expect(topK(scores, 2, (row) => row % 2 === 1).map((r) => r.row)).toEqual([1, 3]);
    expect(topK(scores, 0)).toEqual([]);
  });
});
