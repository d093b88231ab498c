import { createHash } from 'node:crypto';
import {
  chainHash,
  GENESIS_HASH,
  HashChainVerifier,
  verifyHashChain,
  verifyHashChainAsync,
  type ChainLink,
} from './hash-chain';

function buildChain(count: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const entry = Buffer.from(`{"seq":${i},"type":"persona.sealed"}`);
    prev = chainHash(prev, entry);
    links.push({ entry, hash: prev });
  }
  return links;
}

describe('hash chain', () => {
  it('hashes the previous hash bytes followed by the canonical entry', () => {
    const entry = Buffer.from('{"a":1}');
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(entry).digest('hex');
    expect(chainHash(GENESIS_HASH, entry)).toBe(expected);
    expect(chainHash(expected, entry)).toBe(
      createHash('sha256').update(Buffer.from(expected, 'hex')).update(entry).digest('hex'),
    );
    expect(() => chainHash('xyz', entry)).toThrow(/previous hash/);
  });

  it('accepts an intact chain and reports its head', () => {
    const links = buildChain(100);
    expect(verifyHashChain(links)).toEqual({ ok: true, count: 100, head: links[99]!.hash });
  });

  it('reports the first broken position for an edited entry, a stored hash, a drop and a swap', () => {
    const links = buildChain(50);
    const edited = links.map((l, i) =>
      i === 17 ? { ...l, entry: Buffer.from('{"seq":17,"type":"x"}') } : l,
    );
    expect(verifyHashChain(edited)).toMatchObject({ ok: false, position: 17 });
    const rehashed = links.map((l, i) =>
      i === 30 ? { ...l, hash: chainHash(links[29]!.hash, Buffer.from('y')) } : l,
    );
    expect(verifyHashChain(rehashed)).toMatchObject({ ok: false, position: 30, actual: rehashed[30]!.hash });
    expect(verifyHashChain([...links.slice(0, 8), ...links.slice(9)])).toMatchObject({
      ok: false,
      position: 8,
    });
    const swapped = [...links];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(verifyHashChain(swapped)).toMatchObject({ ok: false, position: 3 });
  });

  it('verifies a suffix from a known hash and streams from an async source', async () => {
    const links = buildChain(20);
    expect(verifyHashChain(links.slice(10), links[9]!.hash)).toMatchObject({ ok: true, count: 10 });
    async function* source(): AsyncGenerator<ChainLink> {
      for (const link of links) yield link.hash === links[12]!.hash ? { ...link, hash: GENESIS_HASH } : link;
    }
    await expect(verifyHashChainAsync(source())).resolves.toMatchObject({ ok: false, position: 12 });
    const verifier = new HashChainVerifier();
    expect(verifier.push(links[0]!.entry, links[0]!.hash)).toBe(true);
    expect(verifier.push(links[2]!.entry, links[2]!.hash)).toBe(false);
    expect(verifier.push(links[1]!.entry, links[1]!.hash)).toBe(false);
    expect(verifier.verdict()).toMatchObject({ ok: false, position: 1 });
  });
});
