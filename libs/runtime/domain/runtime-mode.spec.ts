import { parseRuntimeRef } from './persona-ref';
import { modeProblem } from './runtime-mode';

describe('deployment modes', () => {
  const ref = (text: string) => parseRuntimeRef(text)!;

  it('dev runs any sealed version or channel', () => {
    for (const text of ['helper.v3', 'helper@dev', 'helper@prod'])
      expect(modeProblem('dev', ref(text))).toBeUndefined();
  });

  it('prod runs only name@prod', () => {
    expect(modeProblem('prod', ref('helper@prod'))).toBeUndefined();
    expect(modeProblem('prod', ref('helper.v3'))).toMatch(/prod mode and runs only name@prod/);
    expect(modeProblem('prod', ref('helper@dev'))).toMatch(/helper@dev is not one/);
  });

  it('parses refs as the registry does', () => {
    expect(parseRuntimeRef('biology_researcher.v12')).toMatchObject({
      kind: 'version',
      name: 'biology_researcher',
      version: 12,
    });
    expect(parseRuntimeRef('helper@canary')).toMatchObject({ kind: 'channel', channel: 'canary' });
    for (const bad of ['Helper.v1', 'helper.v0', 'helper', 'helper@', 'a.v1'])
      expect(parseRuntimeRef(bad)).toBeUndefined();
  });
});
