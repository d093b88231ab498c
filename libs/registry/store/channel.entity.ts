import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ChannelAction } from '../domain/channels';

/** What a channel of a persona serves now. */
@Entity({ name: 'channels' })
export class ChannelEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'persona_name', type: 'text' })
  personaName!: string;

  @PrimaryColumn({ type: 'text' })
  channel!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One move of a channel: who moved it to which version, when and why. Never updated or deleted. */
@Entity({ name: 'channel_history' })
export class ChannelMoveEntity {
  /** bigint, so pg hands it over as a string; the order of moves (see channelHistoryOf). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  seq!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'persona_name', type: 'text' })
  personaName!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  action!: ChannelAction;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'previous_version', type: 'int', nullable: true })
  previousVersion!: number | null;

  @Column({ type: 'text' })
  by!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
