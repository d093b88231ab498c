import { firstDifference } from './json-difference';

describe('firstDifference', () => {
  it('finds nothing between values equal as JSON, whatever the key order', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBeUndefined();
    expect(firstDifference({ a: 1, gone: undefined }, { a: 1 })).toBeUndefined();
  });

  it('points at the first difference in key order', () => {
    expect(firstDifference({ a: { x: 1, y: 2 }, b: 1 }, { a: { x: 1, y: 3 }, b: 2 })).toBe('/a/y');
    expect(firstDifference({ a: 1 }, { a: 1, b: 0 })).toBe('/b');
    expect(firstDifference({ list: [1, 2] }, { list: [1, 2, 3] })).toBe('/list');
    expect(firstDifference({ list: [1, 2] }, { list: [1, 5] })).toBe('/list/1');
    expect(firstDifference({ a: [] }, { a: {} })).toBe('/a');
    expect(firstDifference('x', 'y')).toBe('');
  });

  it('escapes keys as RFC 6901 pointer tokens', () => {
    expect(firstDifference({ 'a/b': 1 }, { 'a/b': 2 })).toBe('/a~1b');
  });

  it('does not mistake inherited properties for fields', () => {
    expect(firstDifference({}, { constructor: 1 })).toBe('/constructor');
  });
});
