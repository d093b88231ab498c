import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sealed version its tenant withdrew. */
@Entity({ name: 'version_revocations' })
export class VersionRevocationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'pack_name', type: 'text' })
  packName!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** `sha256:<hex>` of the revoked pack. */
  @Column({ type: 'text' })
  digest!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'revoked_by', type: 'text' })
  revokedBy!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz' })
  revokedAt!: Date;
}
