import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A persona: a name in a tenant, owning drafts, versions and channels. */
@Entity({ name: 'personas' })
export class PersonaEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'forked_from', type: 'text', nullable: true })
  forkedFrom!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
