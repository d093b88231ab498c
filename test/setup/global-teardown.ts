import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__PERSONAE_TEST_PG__?.stop();
  const dir = process.env.PERSONAE_TEST_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
