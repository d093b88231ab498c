import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@personae/persistence';
import { CheckpointEntity } from './checkpoint.entity';
import { LogLeafEntity } from './log-leaf.entity';
import { SIGNER_SCHEMA } from './signer-schema';

/** Rows read per round trip when the tree is rebuilt: 32 bytes each, so a batch is ~1 MB. */
const HASH_BATCH = 32_768;

@Injectable()
export class LogRepository {
  constructor(@InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The newest signed tree head; its size is the log's committed size (leaf and head commit together). */
  latestCheckpoint(manager: EntityManager = this.manager): Promise<CheckpointEntity | null> {
    return manager.getRepository(CheckpointEntity).findOne({ where: {}, order: { treeSize: 'DESC' } });
  }

  checkpointAt(treeSize: number, manager: EntityManager = this.manager): Promise<CheckpointEntity | null> {
    return manager.getRepository(CheckpointEntity).findOne({ where: { treeSize } });
  }

  leaf(logIndex: number, manager: EntityManager = this.manager): Promise<LogLeafEntity | null> {
    return manager.getRepository(LogLeafEntity).findOne({ where: { logIndex } });
  }

  /**
   * Leaf hashes of [from, to) in index order, batch by batch (raw rows: a rebuild reads them all).
   * Throws when one is missing: a gap would shift every later leaf and give the tree another root.
   */
  async *leafHashes(manager: EntityManager, from: number, to: number): AsyncGenerator<Buffer[]> {
    for (let start = from; start < to; start += HASH_BATCH) {
      const end = Math.min(start + HASH_BATCH, to);
      const rows = await manager.query<{ leaf_hash: Buffer }[]>(
        'SELECT leaf_hash FROM signer.log_leaves WHERE log_index >= $1 AND log_index < $2 ORDER BY log_index',
        [start, end],
      );
      // log_index is the primary key, so as many rows as integers in the range means no gap.
      if (rows.length !== end - start)
        throw new Error(`transparency log leaves ${start}..${end - 1} are incomplete (${rows.length} found)`);
      yield rows.map((row) => row.leaf_hash);
    }
  }

  /** Earlier seals of one version of a tenant's pack. */
  sealsOf(
    manager: EntityManager,
    tenantId: string,
    packName: string,
    packVersion: number,
  ): Promise<LogLeafEntity[]> {
    return manager.getRepository(LogLeafEntity).find({
      where: { tenantId, packName, packVersion },
      select: { logIndex: true, packDigest: true, keyId: true },
      order: { logIndex: 'ASC' },
    });
  }

  async insert(manager: EntityManager, leaf: LogLeafEntity, checkpoint: CheckpointEntity): Promise<void> {
    await manager.getRepository(LogLeafEntity).insert(leaf);
    await manager.getRepository(CheckpointEntity).insert(checkpoint);
  }
}
