import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint.transformer';

/** One transparency-log leaf: a seal's Rekor-shaped body, and which pack of which tenant it sealed. */
@Entity({ name: 'log_leaves' })
export class LogLeafEntity {
  @PrimaryColumn({ name: 'log_index', type: 'bigint', transformer: BIGINT_AS_NUMBER })
  logIndex!: number;

  @Column({ name: 'leaf_hash', type: 'bytea' })
  leafHash!: Buffer;

  /** Canonical JSON text: exactly the bytes hashed into the leaf. */
  @Column({ type: 'text' })
  body!: string;

  /** The DSSE envelope as JSON text. */
  @Column({ type: 'text' })
  envelope!: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ name: 'integrated_time', type: 'timestamptz' })
  integratedTime!: Date;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'pack_name', type: 'text' })
  packName!: string;

  @Column({ name: 'pack_version', type: 'integer' })
  packVersion!: number;

  /** `sha256:<hex>` */
  @Column({ name: 'pack_digest', type: 'text' })
  packDigest!: string;

  @Column({ name: 'sealed_by', type: 'text' })
  sealedBy!: string;
}
