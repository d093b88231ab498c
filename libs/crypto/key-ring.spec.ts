import { randomBytes } from 'node:crypto';
import { generateKekConfigItem, KeyRing, KeyRingError, parseKekConfig } from './key-ring';

describe('KEK config and key ring', () => {
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');

  it('parses "id:base64key,..." with the first entry current', () => {
    const ring = parseKekConfig(` kek-2024:${k2} , kek-2023:${k1}`);
    expect(ring.currentId).toBe('kek-2024');
    expect(ring.ids).toEqual(['kek-2024', 'kek-2023']);
    expect(ring.key('kek-2023')!.toString('base64')).toBe(k1);
    expect(ring.current.key.toString('base64')).toBe(k2);
    expect(parseKekConfig(generateKekConfigItem('fresh')).currentId).toBe('fresh');
  });

  it('refuses bad ids, keys and duplicates without repeating key material', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /no key-encryption keys/],
      [k1, /"id:base64key"/],
      [`bad id:${k1}`, /key id "bad id"/],
      [`a:${randomBytes(16).toString('base64')}`, /must be 32 bytes/],
      [`a:${k1.slice(0, -4)}!!!!`, /not valid base64/],
      [`a:${k1},a:${k2}`, /appears twice/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseKekConfig(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KeyRingError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(k1.slice(0, 12));
    }
  });

  it('never serializes key material', () => {
    const ring = new KeyRing([{ id: 'a', key: randomBytes(32) }]);
    expect(JSON.stringify({ ring })).toBe('{"ring":{"currentId":"a","ids":["a"]}}');
  });
});
