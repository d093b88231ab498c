import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROCESSES = 8;

/** What one process made of the development key: a digest of the current key, never the key. */
const CHILD = `
  const { createHash } = require('node:crypto');
  const { loadKeyRing } = require('./libs/service-kit/key-ring.provider');
  // Every process waits for the same instant, so they race for the file as services starting together do.
  const start = Number(process.argv[2]);
  while (Date.now() < start);
  const ring = loadKeyRing({ dataDir: process.argv[1] });
  process.stdout.write(createHash('sha256').update(ring.current.key).digest('hex'));
`;

/**
 * `npm run start:services` starts every service at once on a fresh data directory, and each one that
 * finds no KEY_ENCRYPTION_KEYS loads the development key: exactly one may create it, and every
 * process must end up with that same key (it wraps the signing keys they all read).
 */
describe('the development key-encryption key, loaded by processes started together', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'personae-key-ring-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is created once, whole, and every process loads the same one', async () => {
    const start = Date.now() + 3000;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        run(process.execPath, ['-r', '@swc-node/register', '-e', CHILD, dataDir, String(start)], {
          cwd: process.cwd(),
        }),
      ),
    );
    const digests = new Set(results.map((result) => result.stdout));
    expect(digests.size).toBe(1);
    expect([...digests][0]).toMatch(/^[0-9a-f]{64}$/);
    // No half-written drafts are left beside it.
    expect(readdirSync(join(dataDir, 'keys'))).toEqual(['key-encryption-keys']);
  }, 60_000);
});
