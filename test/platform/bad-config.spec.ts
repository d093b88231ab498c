import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Starts the real platform entry point with an environment and returns how it ended. */
function startPlatform(env: Record<string, string>): {
  status: number | null;
  stderr: string;
  stdout: string;
} {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/platform/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('invalid configuration', () => {
  it('stops the process before anything starts, naming each bad variable (exit 78)', () => {
    const result = startPlatform({
      PORT: 'eighty',
      KAFKA_BROKERS: 'not a broker list',
      DATA_DIR: '/nonexistent/never-created',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('invalid configuration');
    expect(result.stderr).toMatch(/PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
    expect(result.stderr).toMatch(/KAFKA_BROKERS must be host:port/);
    // Nothing started: no embedded Postgres was initialised.
    expect(result.stdout).not.toContain('ready on');
  });

  it('never prints a secret it rejects', () => {
    const result = startPlatform({ AUTH_JWT_SECRET: 'too-short-secret-value' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('AUTH_JWT_SECRET must be at least 32 characters');
    expect(result.stderr).not.toContain('too-short-secret-value');
  });
});
