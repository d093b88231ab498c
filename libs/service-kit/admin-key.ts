import type { INestApplicationContext } from '@nestjs/common';
import { bootstrapAdminKey, formatAdminKeyBanner } from '@personae/auth';

/**
 * On the very first start, mints the admin key and prints it once on stdout — not through
 * the logger, so it never lands in shipped log streams with a level someone indexes.
 */
export async function announceAdminKey(app: INestApplicationContext): Promise<void> {
  const minted = await bootstrapAdminKey(app);
  if (minted) process.stdout.write(`${formatAdminKeyBanner(minted.token, minted.key.tenantId)}\n`);
}
