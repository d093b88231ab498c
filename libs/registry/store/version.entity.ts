import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { GovernanceReport } from '../domain/governance-report';
import type { VersionState } from '../domain/lifecycle';

export interface SignedApproval {
  by: string;
  role: string;
  at: string;
}

/** An immutable sealed version `name.vN`: the exact signed bytes, their digest and the signer's bundle. */
@Entity({ name: 'versions' })
export class VersionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'persona_name', type: 'text' })
  personaName!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  canonical!: string;

  @Column({ type: 'text' })
  digest!: string;

  @Column({ type: 'jsonb' })
  bundle!: Record<string, unknown>;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  // bigint comes back from pg as a string; log indexes stay far below 2^53.
  @Column({
    name: 'log_index',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  logIndex!: number;

  @Column({ type: 'jsonb' })
  approvals!: SignedApproval[];

  @Column({ name: 'governance_report', type: 'jsonb' })
  governanceReport!: GovernanceReport;

  @Column({ name: 'draft_id', type: 'uuid' })
  draftId!: string;

  @Column({ name: 'sealed_by', type: 'text' })
  sealedBy!: string;

  @Column({ name: 'sealed_at', type: 'timestamptz' })
  sealedAt!: Date;

  @Column({ type: 'text' })
  state!: VersionState;

  @Column({ name: 'state_reason', type: 'text', nullable: true })
  stateReason!: string | null;

  @Column({ name: 'state_changed_by', type: 'text', nullable: true })
  stateChangedBy!: string | null;

  @Column({ name: 'state_changed_at', type: 'timestamptz', nullable: true })
  stateChangedAt!: Date | null;
}
