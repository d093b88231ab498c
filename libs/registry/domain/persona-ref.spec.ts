import {
  nextVersionNumber,
  parseDiffSide,
  parsePersonaRef,
  parseVersionNumber,
  versionRef,
} from './persona-ref';

describe('persona refs', () => {
  it('parses name.vN and name@channel', () => {
    expect(parsePersonaRef('biology_researcher.v12')).toEqual({
      ok: true,
      value: { kind: 'version', name: 'biology_researcher', version: 12 },
    });
    expect(parsePersonaRef('code-reviewer@prod')).toEqual({
      ok: true,
      value: { kind: 'channel', name: 'code-reviewer', channel: 'prod' },
    });
    expect(versionRef('helper', 3)).toBe('helper.v3');
  });

  it('refuses anything else with a reason', () => {
    for (const bad of [
      'helper',
      'helper.v0',
      'helper.v01',
      'Helper.v1',
      'helper@',
      'helper@Prod',
      'a.v1',
      'x.v1@prod',
      '',
    ])
      expect(parsePersonaRef(bad)).toMatchObject({
        ok: false,
        refusal: 'input',
        reason: /not a persona ref/,
      });
  });

  it('parses diff sides and version segments', () => {
    expect(parseDiffSide('v2')).toEqual({ ok: true, value: { kind: 'version', version: 2 } });
    expect(parseDiffSide('7')).toEqual({ ok: true, value: { kind: 'version', version: 7 } });
    const id = '01890a5d-ac96-774b-bcce-b302099a8057';
    expect(parseDiffSide(`draft:${id}`)).toEqual({ ok: true, value: { kind: 'draft', id } });
    expect(parseDiffSide('draft:nope')).toMatchObject({ ok: false });
    expect(parseDiffSide('latest')).toMatchObject({ ok: false });
    expect(parseVersionNumber('v3')).toBe(3);
    expect(parseVersionNumber('0')).toBeUndefined();
  });
});

describe('version numbering', () => {
  it('starts at 1 and goes one past the highest ever sealed, within the schema bound', () => {
    expect(nextVersionNumber(undefined)).toEqual({ ok: true, value: 1 });
    expect(nextVersionNumber(4)).toEqual({ ok: true, value: 5 });
    expect(nextVersionNumber(999_999)).toMatchObject({ ok: false });
  });
});
