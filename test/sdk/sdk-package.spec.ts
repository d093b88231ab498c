import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const SDK = join(__dirname, '..', '..', 'libs', 'sdk');
const manifest = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  main?: string;
  types: string;
  exports: Record<string, { types: string; default: string } | string>;
  files: string[];
  dependencies: Record<string, string>;
};
const build = JSON.parse(readFileSync(join(SDK, 'tsconfig.build.json'), 'utf8')) as {
  compilerOptions: { outDir: string; paths: Record<string, string[]> };
  exclude: string[];
};

/** The SDK's shipped sources: every .ts file but specs. */
function sources(dir = SDK): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'dist' || entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `@scope/name` or `name` of a bare import specifier. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('@personae/sdk as a package', () => {
  it('is named, versioned and licensed for publishing', () => {
    expect(manifest).toMatchObject({ name: '@personae/sdk', version: '0.1.0', license: 'Apache-2.0' });
    expect(readFileSync(join(SDK, 'README.md'), 'utf8')).toContain('npm install @personae/sdk');
  });

  it('points its entry points at what tsconfig.build.json emits', () => {
    // The build writes to <staging>/dist; the package is published from <staging>.
    expect(build.compilerOptions.outDir).toBe('../../dist/packages/sdk/dist');
    expect(manifest.files).toContain('dist');
    expect(manifest.types).toBe('dist/index.d.ts');
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    // No `main`: the monorepo's own build copies this file where dist/ does not exist (DEP0128).
    expect(manifest.main).toBeUndefined();
    expect(build.exclude).toContain('**/*.spec.ts');
  });

  it('declares every package its sources import, and nothing it does not import', () => {
    const imported = new Set<string>();
    for (const file of sources()) {
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s'([^'.][^']*)'/gm)) {
        if (specifier!.startsWith('node:') || builtinModules.includes(specifier!)) continue;
        imported.add(packageOf(specifier!));
      }
    }
    expect([...imported].sort()).toEqual(Object.keys(manifest.dependencies).sort());
    // The siblings are published with the SDK, in lockstep.
    for (const sibling of ['@personae/crypto', '@personae/pack', '@personae/trust'])
      expect(manifest.dependencies[sibling]).toBe(manifest.version);
  });
});
