import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '../domain/roles';

/** One API key. The secret itself is never stored, only its hash (see domain/api-key-token.ts). */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text' })
  label!: string;

  /** Loaded only by verification (`select: false`), so listings can never return it. */
  @Column({ name: 'secret_hash', type: 'bytea', select: false })
  secretHash!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy!: string | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
