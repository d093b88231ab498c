import type { KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, ServiceUnavailableException, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  DecryptionError,
  exportPublicKeyPem,
  generateSigningKeyPair,
  importPublicKey,
  type KeyRing,
  sealSigningKey,
  type SigningKeyPair,
  unsealSigningKey,
} from '@personae/crypto';
import { InjectDataSource } from '@personae/persistence';
import { KEY_RING } from '@personae/service-kit';
import { AUDIT_SCHEMA } from '../store/audit-schema';

export interface LedgerPublicKey {
  keyId: string;
  publicKeyPem: string;
  createdAt: string;
}

const context = (keyId: string): string => `audit-ledger-key:${keyId}`;

/**
 * The ledger's Ed25519 checkpoint key, as the signer keeps its keys: created on first start, stored
 * only as PKCS#8 envelope-encrypted under the KEK ring, unlocked in memory. The newest key signs;
 * every key ever used stays listed so old checkpoints keep verifying.
 */
@Injectable()
export class LedgerKeys implements OnModuleInit {
  private readonly logger = new Logger('AuditLedgerKeys');
  private active: SigningKeyPair | undefined;

  constructor(
    @InjectDataSource(AUDIT_SCHEMA) private readonly dataSource: DataSource,
    @Inject(KEY_RING) private readonly ring: KeyRing,
  ) {}

  /** Unlocking now makes a KEK misconfiguration visible at start; the ledger still ingests and answers. */
  async onModuleInit(): Promise<void> {
    try {
      await this.signer();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      this.logger.error(`${error.message}; checkpoints cannot be signed until it is fixed`);
    }
  }

  async signer(): Promise<SigningKeyPair> {
    if (this.active) return this.active;
    try {
      this.active = await this.unlockOrCreate();
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      throw new ServiceUnavailableException(`the audit ledger key does not unlock: ${error.message}`);
    }
    return this.active;
  }

  private unlockOrCreate(): Promise<SigningKeyPair> {
    return this.dataSource.transaction(async (manager) => {
      // Two processes starting together create one key.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit-ledger-key'))`);
      const rows: { key_id: string; encrypted_private_key: Buffer }[] = await manager.query(
        `SELECT key_id, encrypted_private_key FROM audit.ledger_keys ORDER BY created_at DESC, key_id LIMIT 1`,
      );
      if (rows[0]) {
        return unsealSigningKey(this.ring, rows[0].encrypted_private_key, context(rows[0].key_id));
      }
      const pair = generateSigningKeyPair();
      await manager.query(
        `INSERT INTO audit.ledger_keys (key_id, public_key_pem, encrypted_private_key, kek_id) VALUES ($1, $2, $3, $4)`,
        [
          pair.keyId,
          exportPublicKeyPem(pair.publicKey),
          sealSigningKey(this.ring, pair, context(pair.keyId)),
          this.ring.currentId,
        ],
      );
      this.logger.log(`created audit ledger key ${pair.keyId}`);
      return pair;
    });
  }

  async published(): Promise<LedgerPublicKey[]> {
    const rows: { key_id: string; public_key_pem: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT key_id, public_key_pem, created_at FROM audit.ledger_keys ORDER BY created_at`,
    );
    return rows.map((row) => ({
      keyId: row.key_id,
      publicKeyPem: row.public_key_pem,
      createdAt: row.created_at.toISOString(),
    }));
  }

  async trusted(): Promise<Map<string, KeyObject>> {
    return new Map((await this.published()).map((key) => [key.keyId, importPublicKey(key.publicKeyPem)]));
  }
}
