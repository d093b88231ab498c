import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePack } from './parse-pack';

describe('README', () => {
  const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
  const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);

  it('shows a minimal and a complete pack, both of which parse', () => {
    expect(yamlBlocks).toHaveLength(2);
    const [minimal, complete] = yamlBlocks.map((text) => parsePack(text));
    expect(minimal!.metadata.name).toBe('helper');
    expect(complete!.spec.tools[0]!.name).toBe('documents.read');
    expect(complete!.provenance?.changes[0]!.origin).toBe('human');
  });
});
