import { VerifiedKeyCache } from './verified-key.cache';

const principal = {
  subject: 'apikey:k',
  tenantId: 'acme',
  role: 'trainer' as const,
  via: 'api-key' as const,
};
const key = { secretHash: Buffer.from('hash'), principal };

describe('VerifiedKeyCache', () => {
  it('answers within its time to live and forgets after it', () => {
    let now = 1_000;
    const cache = new VerifiedKeyCache(2_000, 10, () => now);
    cache.set('k', key);
    now += 1_999;
    expect(cache.get('k')?.principal).toEqual(principal);
    now += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('forgets an evicted key at once (revocation in this process)', () => {
    const cache = new VerifiedKeyCache();
    cache.set('k', key);
    cache.evict('k');
    expect(cache.get('k')).toBeUndefined();
  });

  it('keeps at most its capacity, dropping the oldest', () => {
    const cache = new VerifiedKeyCache(60_000, 2);
    cache.set('a', key);
    cache.set('b', key);
    cache.set('c', key);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });
});
