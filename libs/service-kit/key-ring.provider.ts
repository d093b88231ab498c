import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { generateKekConfigItem, parseKekConfig, type KeyRing } from '@personae/crypto';

/** Injection token of the process' key-encryption KeyRing. */
export const KEY_RING = Symbol('personae:key-ring');

/**
 * KEY_ENCRYPTION_KEYS when set; otherwise (development only — config refuses production
 * without it) a key generated once and kept beside the embedded data, readable by its owner only.
 */
export function loadKeyRing(config: AppConfig): KeyRing {
  if (config.keyEncryptionKeys) return parseKekConfig(config.keyEncryptionKeys);
  const dir = join(config.dataDir, 'keys');
  const file = join(dir, 'key-encryption-keys');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, generateKekConfigItem('dev1'), { mode: 0o600, flag: 'wx' });
  }
  return parseKekConfig(readFileSync(file, 'utf8').trim());
}

@Global()
@Module({
  providers: [{ provide: KEY_RING, inject: [APP_CONFIG], useFactory: loadKeyRing }],
  exports: [KEY_RING],
})
export class KeyRingModule {}
