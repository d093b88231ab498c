import { SealedContentCache, sealedContentOf } from './sealed-content.cache';

const content = (digest: string) => sealedContentOf('bio', 1, digest, '{}', {});

describe('SealedContentCache', () => {
  it('returns content only for the same tenant, name, version and digest', () => {
    const cache = new SealedContentCache();
    cache.set('acme', 'bio', 1, content('sha256:a'));
    expect(cache.get('acme', 'bio', 1, 'sha256:a')).toEqual(content('sha256:a'));
    expect(cache.get('other', 'bio', 1, 'sha256:a')).toBeUndefined();
    expect(cache.get('acme', 'bio', 2, 'sha256:a')).toBeUndefined();
    expect(cache.get('acme', 'bio', 1, 'sha256:b')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new SealedContentCache(2);
    cache.set('t', 'a', 1, content('d1'));
    cache.set('t', 'b', 1, content('d2'));
    cache.get('t', 'a', 1, 'd1');
    cache.set('t', 'c', 1, content('d3'));
    expect(cache.get('t', 'b', 1, 'd2')).toBeUndefined();
    expect(cache.get('t', 'a', 1, 'd1')).toBeDefined();
    expect(cache.get('t', 'c', 1, 'd3')).toBeDefined();
  });

  it('serializes the answer members once, the pack as its canonical text', () => {
    const canonical = '{"a":[1,"x\\"y"]}';
    const sealed = sealedContentOf('bio', 3, 'sha256:d', canonical, { k: 'v' });
    expect(JSON.parse(`{${sealed.jsonTail.toString()}`)).toEqual({
      name: 'bio',
      version: 3,
      digest: 'sha256:d',
      pack: { a: [1, 'x"y'] },
      canonical,
      bundle: { k: 'v' },
    });
  });
});
