import { HashingEmbedder } from './hashing.embedder';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('hashing embedder', () => {
  const embedder = new HashingEmbedder();

  it('is named by version and dimension', () => {
    expect(embedder.id).toBe('hashing-v1@512');
    expect(new HashingEmbedder({ dimension: 1024 }).id).toBe('hashing-v1@1024');
    expect(() => new HashingEmbedder({ dimension: 3 })).toThrow(/dimension/);
  });

  it('is deterministic, L2-normalised, and pinned: the same text gives these exact numbers', () => {
    const a = embedder.embedOne('Mitochondria produce ATP for the cell.');
    const b = new HashingEmbedder().embedOne('Mitochondria produce ATP for the cell.');
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(dot(a, a)).toBeCloseTo(1, 5);
    // A change of tokens, features, weights or hashing changes these: bump VERSION then.
    const nonZero = Array.from(a)
      .map((value, index) => [index, Math.round(value * 1e4) / 1e4] as const)
      .filter(([, value]) => value !== 0);
    expect(nonZero.length).toBeGreaterThan(10);
    expect(nonZero.slice(0, 4)).toEqual([
      [17, 0.0637],
      [73, 0.4244],
      [85, 0.0637],
      [101, -0.0637],
    ]);
  });

  it('gives the zero vector for text without words', () => {
    expect(Array.from(embedder.embedOne('  ... !!! ')).every((x) => x === 0)).toBe(true);
    expect(Array.from(embedder.embedOne('the and of')).every((x) => x === 0)).toBe(true);
  });

  it('ranks text sharing words and phrases above unrelated text', () => {
    const query = embedder.embedOne('How do mitochondria make energy?');
    const related = embedder.embedOne('The mitochondrion makes energy for the cell as ATP.');
    const unrelated = embedder.embedOne('Refunds are accepted within thirty days with a receipt.');
    expect(dot(query, related)).toBeGreaterThan(0.2);
    expect(Math.abs(dot(query, unrelated))).toBeLessThan(0.1);
    // Word order matters through bigrams.
    const phrase = embedder.embedOne('machine learning');
    expect(dot(phrase, embedder.embedOne('machine learning models'))).toBeGreaterThan(
      dot(phrase, embedder.embedOne('learning models machine')),
    );
  });

  it('meets plurals and inflections (stemming, char trigrams)', () => {
    const cells = embedder.embedOne('cells divide');
    expect(dot(cells, embedder.embedOne('a cell divides'))).toBeGreaterThan(0.5);
    const spelling = dot(embedder.embedOne('mitochondrial'), embedder.embedOne('mitochondria'));
    expect(spelling).toBeGreaterThan(0.1);
  });
});
