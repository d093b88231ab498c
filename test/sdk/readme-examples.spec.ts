import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { HttpClient, RegistryClient } from '@personae/sdk';
import { startService, type RunningService } from '@personae/service-kit';
import { SERVICES } from '../../apps/platform/service-catalog';
import { createTestDatabase } from '../setup/test-database';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'libs', 'sdk', 'README.md'), 'utf8');

/**
 * The README's ```ts blocks, in order, as one module: its imports on top, every other statement inside
 * `main()` (the blocks use top-level await, which CommonJS has not).
 */
function readmeProgram(markdown: string): string {
  const code = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!).join('\n');
  const source = ts.createSourceFile('readme.ts', code, ts.ScriptTarget.ES2022, true);
  const imports = source.statements.filter(ts.isImportDeclaration);
  const body = source.statements.filter((statement) => !ts.isImportDeclaration(statement));
  const text = (node: ts.Node): string => code.slice(node.getFullStart(), node.getEnd());
  return [
    ...imports.map(text),
    '',
    'export async function main(): Promise<void> {',
    ...body.map(text),
    '}',
    '',
  ].join('\n');
}

/** Type errors in `file`, checked with the repository's own compiler options (strict, path aliases). */
function typeErrors(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  )!;
  const program = ts.createProgram([file], config.options);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('the SDK README', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-sdk-readme-'));
  const exampleFile = join(dataDir, 'readme-example.ts');
  let platform: RunningService;
  let adminKey: string;

  beforeAll(async () => {
    const output: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    // A fresh database, so the platform prints its first-start admin key, which the README starts from.
    process.stdout.write = (chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    };
    try {
      platform = await startService(
        {
          name: 'platform',
          description: 'sdk readme',
          defaultPort: 0,
          modules: SERVICES.flatMap((s) => s.modules),
        },
        {
          DATABASE_URL: await createTestDatabase('sdk_readme'),
          DATA_DIR: dataDir,
          PORT: '0',
          LOG_LEVEL: 'silent',
          BOOTSTRAP_TENANT: 'sdk-readme',
        },
      );
    } finally {
      process.stdout.write = write;
    }
    adminKey = /pk_[A-Za-z0-9_-]+/.exec(output.join(''))?.[0] ?? '';
    expect(adminKey).not.toBe('');
    writeFileSync(exampleFile, readmeProgram(README));
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has a getting-started example that imports only the published packages', () => {
    const program = readFileSync(exampleFile, 'utf8');
    expect(program).toContain('new PersonaBuilder(');
    expect(program).toContain("createFromTemplate('research-assistant'");
    const modules = [...program.matchAll(/^import [\s\S]*? from '([^']+)';$/gm)].map((match) => match[1]);
    expect(modules).toEqual(['@personae/sdk', '@personae/trust']);
  });

  it('type-checks under the repository’s strict settings', () => {
    expect(typeErrors(exampleFile)).toEqual([]);
  }, 60_000);

  it('runs: builds, reviews, seals, promotes, resolves and verifies against a fresh platform', async () => {
    const logs: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
    process.env.PERSONAE_URL = platform.url;
    process.env.PERSONAE_ADMIN_KEY = adminKey;
    try {
      const example = (await import(exampleFile)) as { main: () => Promise<void> };
      await example.main();
    } finally {
      log.mockRestore();
      delete process.env.PERSONAE_URL;
      delete process.env.PERSONAE_ADMIN_KEY;
    }
    expect(logs).toEqual([
      expect.stringMatching(/^sealed acme-research\.v1 \(sha256:[0-9a-f]{64}\)$/),
      expect.stringMatching(/^404: unknown ref acme-research@staging: /),
      expect.stringMatching(/^verified acme-research\.v1, signed by key \S+$/),
    ]);

    // What the example left behind, as another client of the platform sees it.
    const minted = await new HttpClient({ baseUrl: platform.url, token: adminKey }).request<{
      token: string;
    }>('POST', '/v1/auth/keys', { role: 'auditor', label: 'readme check' });
    const registry = new RegistryClient(new HttpClient({ baseUrl: platform.url, token: minted.token }));
    expect((await registry.listVersions('code-reviewer')).versions.map((v) => v.ref)).toEqual([
      'code-reviewer.v1',
    ]);
    const prod = (await registry.channels('acme-research')).channels.find((c) => c.channel === 'prod');
    expect(prod).toMatchObject({ version: 1, history: [expect.objectContaining({ action: 'promote' })] });
  }, 60_000);
});
