import { withoutNul } from './ledger-entry';

describe('withoutNul', () => {
  it('replaces NUL in strings and keys at any depth, leaving the input as it was', () => {
    const input = { a: ['x\u0000y', { 'k\u0000': 'v' }], b: 1, c: null };
    expect(withoutNul(input)).toEqual({ a: ['x\ufffdy', { 'k\ufffd': 'v' }], b: 1, c: null });
    expect(input.a[0]).toBe('x\u0000y');
  });

  it('hands back the same value when there is no NUL', () => {
    const input = { a: ['xy', { k: 'v' }], b: true };
    expect(withoutNul(input)).toBe(input);
  });
});
