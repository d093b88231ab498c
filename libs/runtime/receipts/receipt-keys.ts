import { Inject, Injectable, Logger, ServiceUnavailableException, type OnModuleInit } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  DecryptionError,
  exportPublicKeyPem,
  generateSigningKeyPair,
  importPublicKey,
  type KeyRing,
  sealSigningKey,
  type SigningKeyPair,
  signJsonAsync,
  unsealSigningKey,
  verifyJson,
} from '@personae/crypto';
import { InjectDataSource } from '@personae/persistence';
import { KEY_RING } from '@personae/service-kit';
import {
  RECEIPT_PAYLOAD_TYPE,
  type ComplianceReceipt,
  type SignedReceipt,
} from '../domain/compliance-receipt';
import { RUNTIME_SCHEMA } from '../store/runtime-schema';

export interface ReceiptKeyView {
  keyId: string;
  publicKeyPem: string;
  status: 'active' | 'retired';
  createdAt: string;
}

const context = (keyId: string): string => `personae:runtime:receipt-key:${keyId}`;

/**
 * The runtime's own Ed25519 receipt key. Receipts are signed on every request, so the key lives
 * here (sealed under the KEK ring in the runtime schema, unlocked once into a KeyObject) rather than
 * behind an HTTP call to the signer: that round trip would cost more than the whole runtime budget
 * per request, and the runtime would stop answering whenever the signer does. Public halves are
 * published at GET /v1/runtime/receipts/keys.
 */
@Injectable()
export class ReceiptKeys implements OnModuleInit {
  private readonly logger = new Logger('ReceiptKeys');
  private active?: SigningKeyPair;
  private readonly trusted = new Map<string, KeyObject>();

  constructor(
    @InjectDataSource(RUNTIME_SCHEMA) private readonly dataSource: DataSource,
    @Inject(KEY_RING) private readonly ring: KeyRing,
  ) {}

  /** Why receipts cannot be signed (the key's KEK is not configured), or undefined when they can. */
  private unavailable?: string;

  /**
   * A receipt key wrapped under a KEK this process does not hold is not replaced (its receipts must
   * stay verifiable): the service starts, and executions answer 503 until the KEK is configured.
   */
  async onModuleInit(): Promise<void> {
    try {
      await this.load();
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      this.unavailable = `the receipt key does not unlock (${error.message}); set KEY_ENCRYPTION_KEYS to the ring that wrapped it`;
      this.logger.error(`${this.unavailable}; executions answer 503 until it is fixed`);
    }
  }

  /** Executions are refused before any work when receipts cannot be signed: no unsigned execution. */
  assertReady(): void {
    if (this.unavailable || !this.active)
      throw new ServiceUnavailableException(this.unavailable ?? 'the receipt key is not loaded yet');
  }

  private async load(): Promise<void> {
    this.active = await this.dataSource.transaction(async (manager) => {
      // Replicas starting together create exactly one key.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('personae:runtime:receipt-key'))`);
      const rows = await manager.query<{ key_id: string; encrypted_private_key: Buffer; kek_id: string }[]>(
        `SELECT key_id, encrypted_private_key, kek_id FROM runtime.receipt_keys WHERE status = 'active'`,
      );
      const row = rows[0];
      if (row) {
        return unsealSigningKey(this.ring, row.encrypted_private_key, context(row.key_id));
      }
      const pair = generateSigningKeyPair();
      await manager.query(
        `INSERT INTO runtime.receipt_keys (key_id, public_key_pem, encrypted_private_key, kek_id, status)
           VALUES ($1, $2, $3, $4, 'active')`,
        [
          pair.keyId,
          exportPublicKeyPem(pair.publicKey),
          sealSigningKey(this.ring, pair, context(pair.keyId)),
          this.ring.currentId,
        ],
      );
      this.logger.log(`created receipt key ${pair.keyId}`);
      return pair;
    });
    this.trusted.set(this.active.keyId, this.active.publicKey);
  }

  /** Signed on libuv's thread pool: every execution signs, and the event loop serves them all. */
  async sign(receipt: ComplianceReceipt): Promise<SignedReceipt> {
    if (!this.active)
      throw new ServiceUnavailableException(this.unavailable ?? 'the receipt key is not loaded yet');
    return { receipt, signature: await signJsonAsync(receipt, RECEIPT_PAYLOAD_TYPE, this.active) };
  }

  async published(): Promise<ReceiptKeyView[]> {
    const rows = await this.dataSource.query<
      { key_id: string; public_key_pem: string; status: 'active' | 'retired'; created_at: Date }[]
    >(`SELECT key_id, public_key_pem, status, created_at FROM runtime.receipt_keys ORDER BY created_at`);
    return rows.map((r) => ({
      keyId: r.key_id,
      publicKeyPem: r.public_key_pem,
      status: r.status,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** Checks a stored receipt against the published keys (what any verifier does). */
  async verify(signed: SignedReceipt): Promise<{ ok: true; keyId: string } | { ok: false; reason: string }> {
    if (!this.trusted.has(signed.signature.keyid)) {
      for (const key of await this.published())
        this.trusted.set(key.keyId, importPublicKey(key.publicKeyPem));
    }
    return verifyJson(signed.receipt, signed.signature, RECEIPT_PAYLOAD_TYPE, this.trusted);
  }
}
