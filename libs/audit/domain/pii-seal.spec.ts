import { randomBytes } from 'node:crypto';
import { openWith, sealWith } from './pii-seal';

describe('sealWith / openWith', () => {
  const key = randomBytes(32);
  const text = Buffer.from('{"turn.content":{"salt":"c2FsdA==","value":"jane@example.com"}}');

  it('round-trips, with a fresh nonce each time', () => {
    const a = sealWith(key, 'audit-pii:acme:e1', text);
    expect(openWith(key, 'audit-pii:acme:e1', a)).toEqual(text);
    expect(sealWith(key, 'audit-pii:acme:e1', text).equals(a)).toBe(false);
    expect(a.includes(Buffer.from('jane'))).toBe(false);
  });

  it('refuses another entry, another key, or a flipped bit', () => {
    const sealed = sealWith(key, 'audit-pii:acme:e1', text);
    expect(() => openWith(key, 'audit-pii:acme:e2', sealed)).toThrow();
    expect(() => openWith(randomBytes(32), 'audit-pii:acme:e1', sealed)).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[20]! ^= 1;
    expect(() => openWith(key, 'audit-pii:acme:e1', flipped)).toThrow();
    expect(() => openWith(key, 'audit-pii:acme:e1', sealed.subarray(0, 20))).toThrow();
  });
});
