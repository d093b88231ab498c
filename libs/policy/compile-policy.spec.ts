import { compilePolicy } from './compile-policy';
import { constitutionDocument } from './constitution/constitution';

const options = { layer: 'tenant' as const, version: 'acme.v1' };

describe('compilePolicy', () => {
  it('names the failing rule and field of an invalid document', () => {
    const result = compilePolicy(
      {
        name: 'acme',
        rules: [
          { id: 'ok', effect: 'permit', match: { actions: ['web.*'] }, reason: 'fine' },
          { id: 'bad', effect: 'allow', match: { actions: ['web.*'] }, reason: 'wrong effect' },
          { id: 'worse', effect: 'forbid', match: { actions: ['Web Search'] }, reason: 'bad pattern' },
        ],
      },
      options,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe('invalid');
    expect(result.problems).toEqual(
      expect.arrayContaining([
        {
          pointer: '/rules/1/effect',
          reason: 'must be one of: permit, forbid, require_approval',
          ruleIds: ['bad'],
        },
        expect.objectContaining({ pointer: '/rules/2/match/actions/0', ruleIds: ['worse'] }),
      ]),
    );
  });

  it('refuses unknown fields and duplicate ids', () => {
    const unknown = compilePolicy(
      { name: 'acme', rules: [{ id: 'x1', effect: 'permit', match: { action: ['a'] }, reason: 'r' }] },
      options,
    );
    expect(!unknown.ok && unknown.problems[0]).toMatchObject({ pointer: '/rules/0/match/action' });
    const duplicate = compilePolicy(
      {
        name: 'acme',
        rules: [
          { id: 'same', effect: 'permit', match: { actions: ['a'] }, reason: 'r' },
          { id: 'same', effect: 'forbid', match: { actions: ['b'] }, reason: 'r' },
        ],
      },
      options,
    );
    expect(!duplicate.ok && duplicate.problems).toEqual([
      { pointer: '/rules/1/id', reason: 'duplicates the id of /rules/0', ruleIds: ['same'] },
    ]);
  });

  it('reports contradictory rules with both ids', () => {
    const same = compilePolicy(
      {
        name: 'acme',
        rules: [
          {
            id: 'yes',
            effect: 'permit',
            match: { actions: ['b.x', 'a.x'] },
            when: { modes: ['prod'] },
            reason: 'r',
          },
          {
            id: 'no',
            effect: 'forbid',
            match: { actions: ['a.x', 'b.x'] },
            when: { modes: ['prod'] },
            reason: 'r',
          },
        ],
      },
      options,
    );
    expect(same).toMatchObject({ ok: false, kind: 'contradictory', problems: [{ ruleIds: ['yes', 'no'] }] });
    const shadowed = compilePolicy(
      {
        name: 'acme',
        rules: [
          {
            id: 'web-search',
            effect: 'permit',
            match: { actions: ['web.search'], tools: ['web.search'] },
            reason: 'r',
          },
          { id: 'no-web', effect: 'forbid', match: { actions: ['web.*'] }, reason: 'r' },
        ],
      },
      options,
    );
    expect(shadowed).toMatchObject({
      ok: false,
      kind: 'contradictory',
      problems: [{ ruleIds: ['web-search', 'no-web'] }],
    });
    const conditional = compilePolicy(
      {
        name: 'acme',
        rules: [
          { id: 'web', effect: 'permit', match: { actions: ['web.*'] }, reason: 'r' },
          {
            id: 'no-web-prod',
            effect: 'forbid',
            match: { actions: ['web.*'] },
            when: { modes: ['prod'] },
            reason: 'r',
          },
        ],
      },
      options,
    );
    expect(conditional.ok).toBe(true);
  });

  it('compiles the shipped constitution', () => {
    expect(
      compilePolicy(constitutionDocument(), { layer: 'constitution', version: 'constitution.v1' }).ok,
    ).toBe(true);
  });
});
