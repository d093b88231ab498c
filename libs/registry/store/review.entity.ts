import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReviewVerdict = 'approved' | 'rejected';

/** One review of a draft, kept after edits void the approvals it counted for. */
@Entity({ name: 'reviews' })
export class ReviewEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'draft_id', type: 'uuid' })
  draftId!: string;

  @Column({ name: 'reviewer_id', type: 'text' })
  reviewerId!: string;

  @Column({ type: 'text' })
  verdict!: ReviewVerdict;

  @Column({ type: 'text' })
  comment!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
