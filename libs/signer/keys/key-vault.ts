import { Inject, Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  decryptSecret,
  DecryptionError,
  encryptSecret,
  exportPrivateKey,
  exportPublicKeyPem,
  generateSigningKeyPair,
  importPrivateKey,
  signingKeyPairFrom,
  type KeyRing,
  type SigningKeyPair,
} from '@personae/crypto';
import { InjectDataSource } from '@personae/persistence';
import { KEY_RING } from '@personae/service-kit';
import type { PublicKeyView } from '@personae/sdk';
import {
  keyOwnerLabel,
  planRevocation,
  PLATFORM_KEY_PURPOSES,
  privateKeyContext,
  type KeyOwner,
  type KeyPurpose,
} from '../domain/signing-keys';
import { publicKeyView } from '../domain/views';
import { keysLock, lockForTransaction } from '../store/advisory-lock';
import { SigningKeyEntity } from '../store/signing-key.entity';
import { SigningKeyRepository, type SealedKeyRow } from '../store/signing-key.repository';
import { SIGNER_SCHEMA } from '../store/signer-schema';
import { KeyUnavailableError } from './key-unavailable.error';

/**
 * Holds the signer's private keys. They live in Postgres only encrypted under the KEK ring and in
 * memory only as KeyObjects, unlocked on first use; nothing here exports, returns or logs them.
 * Which key is active is always read from the database, so a rotation or revocation made by another
 * process takes effect here at the next seal.
 */
@Injectable()
export class KeyVault implements OnModuleInit {
  private readonly logger = new Logger('SignerKeyVault');
  private readonly unlocked = new Map<string, SigningKeyPair>();

  constructor(
    @InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource,
    @Inject(KEY_RING) private readonly ring: KeyRing,
    private readonly keys: SigningKeyRepository,
  ) {}

  /** First start creates the platform keys; every start re-wraps keys still under an older KEK. */
  async onModuleInit(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const purpose of PLATFORM_KEY_PURPOSES)
        await this.ensureActive(manager, purpose, null, 'system:signer');
    });
    await this.rewrapUnderCurrentKek();
    try {
      // Unlocking the log key now makes a KEK misconfiguration visible at start, not at the first seal.
      await this.dataSource.transaction((manager) => this.logSigner(manager));
    } catch (error) {
      if (!(error instanceof KeyUnavailableError)) throw error;
      this.logger.error(`${error.message}; sealing answers 503 until it is fixed`);
    }
  }

  /** The platform's active log key (checkpoints). `manager` must be in a transaction. */
  logSigner(manager: EntityManager): Promise<SigningKeyPair> {
    return this.activeOrCreate(manager, 'log', null, 'system:signer');
  }

  /** The tenant's active pack-signer key, created on its first seal. `manager` must be in a transaction. */
  packSigner(manager: EntityManager, tenantId: string, actor: string): Promise<SigningKeyPair> {
    return this.activeOrCreate(manager, 'pack-signer', tenantId, actor);
  }

  /** A tenant's keys and the platform keys, public halves only. */
  async published(tenantId: string): Promise<PublicKeyView[]> {
    return (await this.keys.listPublished(tenantId)).map(publicKeyView);
  }

  /** New active pack-signer key for the tenant; the old one is retired (its seals stay valid). */
  rotate(tenantId: string, actor: string, reason: string | undefined): Promise<PublicKeyView> {
    return this.dataSource.transaction(async (manager) => {
      await lockForTransaction(manager, keysLock(tenantId));
      const active = await this.keys.findActive(manager, 'pack-signer', tenantId);
      if (active) await this.keys.retire(manager, active.keyId, reason ? `rotated: ${reason}` : 'rotated');
      const { row } = await this.create(manager, 'pack-signer', tenantId, actor);
      return publicKeyView(row);
    });
  }

  /**
   * Revokes a tenant's pack-signer key: every seal it made is refused from now on and its private
   * half is erased. Revoking the active key puts a fresh one in its place. Idempotent.
   */
  revoke(
    tenantId: string,
    keyId: string,
    actor: string,
    reason: string,
  ): Promise<{ key: PublicKeyView; changed: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      await lockForTransaction(manager, keysLock(tenantId));
      const key = await this.keys.findTenantKey(manager, tenantId, keyId);
      if (!key) throw new NotFoundException('signing key not found');
      const plan = planRevocation(key.status);
      if (plan.kind === 'already-revoked') return { key: publicKeyView(key), changed: false };
      await this.keys.revoke(manager, keyId, actor, reason);
      this.unlocked.delete(keyId);
      if (plan.replaceActive) await this.create(manager, 'pack-signer', tenantId, actor);
      this.logger.warn(`revoked pack-signer key ${keyId} of tenant ${tenantId}`);
      const revoked = await this.keys.findTenantKey(manager, tenantId, keyId);
      return { key: publicKeyView(revoked!), changed: true };
    });
  }

  private async activeOrCreate(
    manager: EntityManager,
    purpose: KeyPurpose,
    owner: KeyOwner,
    actor: string,
  ): Promise<SigningKeyPair> {
    const active = await this.ensureActive(manager, purpose, owner, actor);
    return 'pair' in active ? active.pair : this.unlock(active);
  }

  /** The active key's row, or a key created now (already unlocked) when there is none. */
  private async ensureActive(
    manager: EntityManager,
    purpose: KeyPurpose,
    owner: KeyOwner,
    actor: string,
  ): Promise<SealedKeyRow | { pair: SigningKeyPair }> {
    const active = await this.keys.findActive(manager, purpose, owner);
    if (active) return active;
    // Several processes may get here at once: the lock and a second look make exactly one key.
    await lockForTransaction(manager, keysLock(owner));
    const created = await this.keys.findActive(manager, purpose, owner);
    if (created) return created;
    return { pair: (await this.create(manager, purpose, owner, actor)).pair };
  }

  private async create(
    manager: EntityManager,
    purpose: KeyPurpose,
    owner: KeyOwner,
    actor: string,
  ): Promise<{ pair: SigningKeyPair; row: SigningKeyEntity }> {
    const pair = generateSigningKeyPair();
    const der = exportPrivateKey(pair.privateKey);
    let encrypted: Buffer;
    try {
      encrypted = encryptSecret(this.ring, der, { context: privateKeyContext(pair.keyId) });
    } finally {
      der.fill(0);
    }
    const row: SigningKeyEntity = {
      keyId: pair.keyId,
      tenantId: owner,
      purpose,
      publicKeyPem: exportPublicKeyPem(pair.publicKey),
      encryptedPrivateKey: encrypted,
      kekId: this.ring.currentId,
      status: 'active',
      createdAt: new Date(),
      createdBy: actor,
      retiredAt: null,
      revokedAt: null,
      revokedBy: null,
      reason: null,
    };
    await this.keys.insert(manager, row);
    // Cached by id: used only once the database names it active, so a rolled-back insert is harmless.
    this.unlocked.set(pair.keyId, pair);
    this.logger.log(`created ${purpose} key ${pair.keyId} for ${keyOwnerLabel(owner)}`);
    return { pair, row };
  }

  private unlock(row: SealedKeyRow): SigningKeyPair {
    const cached = this.unlocked.get(row.keyId);
    if (cached) return cached;
    const what = `${row.purpose} key ${row.keyId}`;
    if (!this.ring.key(row.kekId))
      throw new KeyUnavailableError(
        `${what} is wrapped under key-encryption key "${row.kekId}", which KEY_ENCRYPTION_KEYS does not hold`,
      );
    let der: Buffer;
    try {
      der = decryptSecret(this.ring, row.encryptedPrivateKey, { context: privateKeyContext(row.keyId) });
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      throw new KeyUnavailableError(
        `${what} does not decrypt with key-encryption key "${row.kekId}" (another key under that id?)`,
      );
    }
    try {
      const pair = signingKeyPairFrom(importPrivateKey(der));
      if (pair.keyId !== row.keyId)
        throw new KeyUnavailableError(`${what}: the stored private key is not its own`);
      this.unlocked.set(row.keyId, pair);
      return pair;
    } finally {
      der.fill(0);
    }
  }

  /** After a KEK rotation (new KEK first in the ring), moves every live key under the current KEK. */
  private async rewrapUnderCurrentKek(): Promise<void> {
    const current = this.ring.currentId;
    const moved = await this.dataSource.transaction(async (manager) => {
      let count = 0;
      for (const row of await this.keys.findWrappedUnder(manager, current)) {
        // Wrapped under a KEK this process does not hold (e.g. one newer than its config): leave it.
        if (!this.ring.key(row.kekId)) continue;
        const context = privateKeyContext(row.keyId);
        let der: Buffer;
        try {
          der = decryptSecret(this.ring, row.encryptedPrivateKey, { context });
        } catch (error) {
          if (!(error instanceof DecryptionError)) throw error;
          this.logger.warn(`key ${row.keyId} does not decrypt with KEK "${row.kekId}"; left as it is`);
          continue;
        }
        try {
          await this.keys.rewrap(manager, row.keyId, encryptSecret(this.ring, der, { context }), current);
        } finally {
          der.fill(0);
        }
        count++;
      }
      return count;
    });
    if (moved > 0)
      this.logger.log(`re-wrapped ${moved} signing key(s) under key-encryption key "${current}"`);
  }
}
