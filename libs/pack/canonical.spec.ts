import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalPackJson, packDigest } from './canonical';
import { parsePack } from './parse-pack';
import { serializePack } from './serialize-pack';

const exampleYaml = readFileSync(join(__dirname, 'examples', 'biology_researcher.persona.yaml'), 'utf8');

describe('canonical form and digest', () => {
  it('is RFC 8785 JSON: sorted keys, no whitespace', () => {
    const pack = parsePack(exampleYaml);
    const canonical = canonicalPackJson(pack);
    expect(canonical.startsWith('{"apiVersion":"personae.dev/v1","kind":"PersonaPack","metadata":{')).toBe(
      true,
    );
    expect(canonical).not.toMatch(/\n/);
    expect(JSON.parse(canonical)).toEqual(pack);
  });

  it('is sha256:<hex> of the canonical UTF-8 bytes', () => {
    // printf '{"a":"é","b":1}' | sha256sum
    expect(packDigest({ b: 1, a: 'é' })).toBe(
      'sha256:aa58fba8483623bed37c1b02edfccbdd9a53123837c20bfa4cb4049993a2872e',
    );
    expect(packDigest(parsePack(exampleYaml))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('does not change with key order, whitespace, comments or YAML vs JSON', () => {
    const digest = packDigest(parsePack(exampleYaml));
    const reformatted = serializePack(parsePack(exampleYaml), 'json');
    const shuffled = JSON.stringify(reverseKeys(JSON.parse(reformatted)), null, 7);
    expect(packDigest(parsePack(shuffled))).toBe(digest);
    const spaced = `# a comment\n\n${exampleYaml.replace(/^(\s*[A-Za-z]+):(?= )/gm, '$1:   ')}`;
    expect(spaced).toContain('displayName:    Biology Researcher');
    expect(packDigest(parsePack(spaced))).toBe(digest);
  });

  it('changes when one byte of content changes, including version and provenance', () => {
    const digest = packDigest(parsePack(exampleYaml));
    expect(
      packDigest(parsePack(exampleYaml.replace('Never invent citations.', 'Never invent citations!'))),
    ).not.toBe(digest);
    expect(packDigest(parsePack(exampleYaml.replace('version: 3', 'version: 4')))).not.toBe(digest);
    expect(
      packDigest(parsePack(exampleYaml.replace('cut tool calls by half', 'cut tool calls by a third'))),
    ).not.toBe(digest);
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, child]) => [key, reverseKeys(child)]),
  );
}
