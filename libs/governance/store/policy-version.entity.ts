import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PolicyDocument } from '@personae/policy';

/** One immutable version of a tenant's policy. */
@Entity({ name: 'policy_versions' })
export class PolicyVersionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  document!: PolicyDocument;

  @Column({ type: 'text' })
  digest!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Which version of a tenant's policy is in force. */
@Entity({ name: 'active_policies' })
export class ActivePolicyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'activated_by', type: 'text' })
  activatedBy!: string;

  @Column({ name: 'activated_at', type: 'timestamptz' })
  activatedAt!: Date;
}
