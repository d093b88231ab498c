import type { INestApplicationContext } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { ApiKeyService, type MintedApiKey } from './api-key.service';

/**
 * First start: mints the admin key of BOOTSTRAP_TENANT when no active admin key exists.
 * Returns it so the caller prints `formatAdminKeyBanner(minted.token)` once to stdout
 * (never to the log); undefined on every later start.
 */
export async function bootstrapAdminKey(app: INestApplicationContext): Promise<MintedApiKey | undefined> {
  const config = app.get<AppConfig>(APP_CONFIG);
  return app.get(ApiKeyService).bootstrapAdmin(config.auth.bootstrapTenant);
}

/** The one-time banner showing the bootstrap admin key. */
export function formatAdminKeyBanner(token: string, tenantId?: string): string {
  const lines = [
    'Personae created an admin API key on first start.',
    tenantId ? `Tenant: ${tenantId}` : undefined,
    'It is shown only this once and stored hashed: save it now.',
    '',
    token,
    '',
    'Use it as "Authorization: Bearer <key>" to mint keys for other roles:',
    '  POST /v1/auth/keys  {"role": "trainer", "label": "..."}',
    'or from a shell: npm run keys -- mint --role trainer --tenant <tenant>',
  ].filter((line): line is string => line !== undefined);
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const rule = '='.repeat(width);
  return ['', rule, ...lines.map((line) => (line ? `  ${line}` : '')), rule, ''].join('\n');
}
