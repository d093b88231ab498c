import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
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
  if (!existsSync(file)) createOnce(dir, file, generateKekConfigItem('dev1'));
  return parseKekConfig(readFileSync(file, 'utf8').trim());
}

/**
 * Writes `text` at `file` unless another process got there first. Services started together
 * (`npm run start:services`) race for it: the key is written whole under a name of its own, then
 * linked into place, which fails if the file exists, so no process ever reads half a key.
 */
function createOnce(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
}

@Global()
@Module({
  providers: [{ provide: KEY_RING, inject: [APP_CONFIG], useFactory: loadKeyRing }],
  exports: [KEY_RING],
})
export class KeyRingModule {}
