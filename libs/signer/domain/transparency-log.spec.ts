import { consistencyQuery, entryQuery, parseUint } from './transparency-log';

describe('log queries', () => {
  it('parses decimal sizes strictly', () => {
    expect(parseUint('0')).toBe(0);
    expect(parseUint('42')).toBe(42);
    expect(parseUint(undefined)).toBeUndefined();
    for (const bad of ['', '-1', '01', '1.5', '1e3', ' 1', '99999999999999999'])
      expect(parseUint(bad)).toBeNull();
  });

  it('proves an entry against the latest size by default, or against a given size', () => {
    expect(entryQuery('2', undefined, 5)).toEqual({ ok: true, value: { index: 2, treeSize: 5 } });
    expect(entryQuery('2', '3', 5)).toEqual({ ok: true, value: { index: 2, treeSize: 3 } });
  });

  it('answers 404 for entries the log does not hold and 400 for impossible proofs', () => {
    expect(entryQuery('5', undefined, 5)).toMatchObject({ ok: false, status: 404 });
    expect(entryQuery('0', undefined, 0)).toMatchObject({ ok: false, status: 404 });
    expect(entryQuery('3', '3', 5)).toMatchObject({ ok: false, status: 400 });
    expect(entryQuery('1', '6', 5)).toMatchObject({ ok: false, status: 400 });
    expect(entryQuery('x', undefined, 5)).toMatchObject({ ok: false, status: 400 });
  });

  it('bounds consistency proofs by the log size', () => {
    expect(consistencyQuery('2', undefined, 5)).toEqual({ ok: true, value: { from: 2, to: 5 } });
    expect(consistencyQuery('0', '0', 0)).toEqual({ ok: true, value: { from: 0, to: 0 } });
    expect(consistencyQuery('3', '2', 5)).toMatchObject({ ok: false, status: 400 });
    expect(consistencyQuery('1', '6', 5)).toMatchObject({ ok: false, status: 400 });
    expect(consistencyQuery('a', undefined, 5)).toMatchObject({ ok: false, status: 400 });
  });
});
