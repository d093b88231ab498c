import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint.transformer';

/** The signed tree head written with the leaf that made the tree this size. */
@Entity({ name: 'checkpoints' })
export class CheckpointEntity {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint', transformer: BIGINT_AS_NUMBER })
  treeSize!: number;

  @Column({ name: 'root_hash', type: 'bytea' })
  rootHash!: Buffer;

  @Column({ type: 'text' })
  note!: string;

  /** The log key that signed it. */
  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
