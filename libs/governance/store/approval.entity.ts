import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApprovalState } from '../domain/approval';

/** A require_approval decision waiting for (or resolved by) a reviewer. */
@Entity({ name: 'approvals' })
export class ApprovalEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId!: string;

  @Column({ type: 'text' })
  state!: ApprovalState;

  @Column({ name: 'persona_name', type: 'text' })
  personaName!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  tool!: string | null;

  @Column({ name: 'rule_ids', type: 'text', array: true })
  ruleIds!: string[];

  @Column({ type: 'text', array: true })
  reasons!: string[];

  @Column({ name: 'policy_versions', type: 'jsonb' })
  policyVersions!: Record<string, string>;

  @Column({ name: 'escalation_channel', type: 'text' })
  escalationChannel!: string;

  @Column({ name: 'input_redacted', type: 'text', nullable: true })
  inputRedacted!: string | null;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'text' })
  comment!: string;

  /** The decision that redeemed this approval; an approval allows one action, once. */
  @Column({ name: 'used_by_decision', type: 'uuid', nullable: true })
  usedByDecision!: string | null;
}
