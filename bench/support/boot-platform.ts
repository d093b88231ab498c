import { startService, type RunningService } from '@personae/service-kit';
import { SERVICES } from '../../apps/platform/service-catalog';

/**
 * The whole platform in this process, as `npm start` runs it (silent, any free port), on a fresh
 * database; the first-start admin key is read from stdout like an operator would.
 */
export async function bootPlatform(
  description: string,
  env: Record<string, string> & { DATABASE_URL: string; DATA_DIR: string },
): Promise<{ platform: RunningService; adminKey: string }> {
  const output: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  };
  let platform: RunningService;
  try {
    platform = await startService(
      { name: 'platform', description, defaultPort: 0, modules: SERVICES.flatMap((s) => s.modules) },
      { PORT: '0', LOG_LEVEL: 'silent', ...env },
    );
  } finally {
    process.stdout.write = write;
  }
  const adminKey = /pk_[A-Za-z0-9_-]+/.exec(output.join(''))?.[0];
  if (!adminKey) throw new Error('no admin key banner on first start: is the database really fresh?');
  return { platform, adminKey };
}
