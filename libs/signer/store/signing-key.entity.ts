import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { KeyPurpose, KeyStatus } from '../domain/signing-keys';

/** One Ed25519 key. The private half exists here only encrypted under a KEK, and never for revoked keys. */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ name: 'key_id', type: 'text' })
  keyId!: string;

  /** Null for platform keys (log, receipt). */
  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text' })
  purpose!: KeyPurpose;

  @Column({ name: 'public_key_pem', type: 'text' })
  publicKeyPem!: string;

  /** Loaded only when a key is unlocked (`select: false`), so no listing can carry it. */
  @Column({ name: 'encrypted_private_key', type: 'bytea', nullable: true, select: false })
  encryptedPrivateKey!: Buffer | null;

  @Column({ name: 'kek_id', type: 'text', nullable: true })
  kekId!: string | null;

  @Column({ type: 'text' })
  status!: KeyStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}
