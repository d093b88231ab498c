import { parseBaseRef } from './base-ref';

describe('parseBaseRef', () => {
  it('accepts name.vN', () => {
    expect(parseBaseRef('biology_researcher.v3')).toEqual({
      ok: true,
      value: { name: 'biology_researcher', version: 3, ref: 'biology_researcher.v3' },
    });
  });

  it.each(['biology_researcher', 'biology_researcher@prod', 'Biology.v1', 'x.v0', 'name.v01', 'name.v1 '])(
    'refuses %j',
    (text) => {
      expect(parseBaseRef(text)).toMatchObject({ ok: false, refusal: 'input' });
    },
  );
});
