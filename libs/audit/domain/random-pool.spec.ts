import { freshRandom } from './random-pool';

describe('freshRandom', () => {
  it('never hands out the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(freshRandom(16).toString('hex')); // 160 KB: two refills
    expect(seen.size).toBe(10_000);
  });

  it('returns independent buffers of the asked size, also above the pool size', () => {
    const a = freshRandom(12);
    const copy = Buffer.from(a);
    freshRandom(12);
    expect(a.equals(copy)).toBe(true);
    expect(freshRandom(100_000)).toHaveLength(100_000);
  });
});
