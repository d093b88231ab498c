import { joinPointer, pointerContains, pointerTokens } from './json-pointer';

describe('JSON pointers', () => {
  it('escape ~ and / in tokens and read them back', () => {
    const pointer = joinPointer('/spec', 'a/b', 'c~d', 3);
    expect(pointer).toBe('/spec/a~1b/c~0d/3');
    expect(pointerTokens(pointer)).toEqual(['spec', 'a/b', 'c~d', '3']);
    expect(pointerTokens('')).toEqual([]);
    expect(() => pointerTokens('spec')).toThrow('not a JSON pointer');
  });

  it('contain themselves and their descendants, not siblings sharing a prefix', () => {
    expect(pointerContains('/spec/tools', '/spec/tools/0/name')).toBe(true);
    expect(pointerContains('/spec/tools', '/spec/tools')).toBe(true);
    expect(pointerContains('', '/anything')).toBe(true);
    expect(pointerContains('/spec/tool', '/spec/tools')).toBe(false);
    expect(pointerContains('/spec/tools/0', '/spec/tools')).toBe(false);
  });
});
