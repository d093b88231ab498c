import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINIMAL_PACK_YAML } from './minimal-pack.fixture';
import { parsePack } from './parse-pack';
import type { PersonaPack } from './schema/persona-pack.schema';
import { serializePack } from './serialize-pack';

const exampleYaml = readFileSync(join(__dirname, 'examples', 'biology_researcher.persona.yaml'), 'utf8');

describe('serializePack', () => {
  it('round-trips YAML → pack → YAML → pack without loss, and is stable', () => {
    const pack = parsePack(exampleYaml);
    const yaml = serializePack(pack);
    const again = parsePack(yaml);
    expect(again).toEqual(pack);
    expect(serializePack(again)).toBe(yaml);
  });

  it('round-trips through JSON too', () => {
    const pack = parsePack(exampleYaml);
    expect(parsePack(serializePack(pack, 'json'), { format: 'json' })).toEqual(pack);
  });

  it('writes fields in schema order whatever order the pack was built in', () => {
    const pack = parsePack(MINIMAL_PACK_YAML);
    const scrambled = JSON.parse(
      JSON.stringify({
        spec: pack.spec,
        metadata: pack.metadata,
        kind: pack.kind,
        apiVersion: pack.apiVersion,
      }),
    ) as PersonaPack;
    const yaml = serializePack(scrambled);
    expect(yaml).toBe(serializePack(pack));
    expect(yaml.split('\n').slice(0, 4)).toEqual([
      'apiVersion: personae.dev/v1',
      'kind: PersonaPack',
      'metadata:',
      '  name: helper',
    ]);
  });

  it('keeps multi-line prompts readable as block scalars and quotes what YAML would misread', () => {
    const pack = parsePack(exampleYaml);
    pack.spec.prompt.starterPrompts = ['yes', '1.5', 'null', '- not a list'];
    const yaml = serializePack(pack);
    expect(yaml).toContain('    system: |\n      You are a research biologist');
    expect(parsePack(yaml).spec.prompt.starterPrompts).toEqual(['yes', '1.5', 'null', '- not a list']);
  });

  it('never writes anchors for repeated objects', () => {
    const pack = parsePack(MINIMAL_PACK_YAML);
    const shared = { model: 'gpt-4o', temperature: 0.2, maxTokens: 100 };
    pack.spec.models.primary = shared;
    pack.spec.models.preSlm = shared;
    const yaml = serializePack(pack);
    expect(yaml).not.toMatch(/[&*]\w/);
    expect(parsePack(yaml).spec.models.preSlm).toEqual(shared);
  });
});
