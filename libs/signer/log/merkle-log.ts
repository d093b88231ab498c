import { Injectable, InternalServerErrorException, Logger, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { MerkleTree, TransparencyLog, type LogEntryProof } from '@personae/crypto';
import { InjectDataSource } from '@personae/persistence';
import { LOG_ORIGIN } from '../domain/transparency-log';
import { KeyVault } from '../keys/key-vault';
import { LOG_WRITE_LOCK, lockForTransaction } from '../store/advisory-lock';
import type { LogLeafEntity } from '../store/log-leaf.entity';
import { LogRepository } from '../store/log.repository';
import { SIGNER_SCHEMA } from '../store/signer-schema';
import { Mutex } from './mutex';

/** What a seal writes beside its leaf. */
export type SealColumns = Pick<
  LogLeafEntity,
  'envelope' | 'keyId' | 'tenantId' | 'packName' | 'packVersion' | 'packDigest' | 'sealedBy'
>;

/** A stored entry with its proof against some tree size and that size's signed checkpoint. */
export interface ProvenEntry {
  leaf: LogLeafEntity;
  proof: LogEntryProof;
  /** The log key that signed the checkpoint. */
  logKeyId: string;
}

/** Handed to a write: appends go to the database and the tree within the write's transaction. */
export interface LogWriter {
  readonly manager: EntityManager;
  readonly logKeyId: string;
  append(leaf: Buffer, seal: SealColumns): Promise<LogEntryProof>;
  /** An existing entry as it was issued: proven against the tree right after it. */
  issued(logIndex: number): Promise<ProvenEntry>;
}

/**
 * The RFC 9162 transparency log. Postgres holds the leaves and a signed checkpoint per tree size;
 * each process keeps the Merkle tree in memory, rebuilt from stored leaf hashes at start and caught
 * up from the database whenever another process appended. One writer at a time across processes
 * (advisory lock), and the tree is reloaded under that lock before an append, so indexes are dense
 * and the log cannot fork. A leaf and its checkpoint commit in one transaction.
 */
@Injectable()
export class MerkleLog implements OnModuleInit {
  private readonly logger = new Logger('SignerTransparencyLog');
  private readonly mutex = new Mutex();
  private tree = new MerkleTree();
  /** Leaves [0, committedSize) of `tree` are committed and match the checkpoint of that size. */
  private committedSize = 0;
  /** A write failed after its leaf entered the tree: rebuild before trusting anything past committedSize. */
  private stale = false;

  constructor(
    @InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource,
    private readonly store: LogRepository,
    private readonly vault: KeyVault,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.mutex.run(() => this.catchUp(this.store.manager));
    this.logger.log(`transparency log loaded: ${this.committedSize} entries`);
  }

  /** Runs `work` as the log's only writer, in one transaction, on a tree equal to the database's. */
  write<T>(work: (writer: LogWriter) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      try {
        const result = await this.dataSource.transaction(async (manager) => {
          await lockForTransaction(manager, LOG_WRITE_LOCK);
          // Another process may have appended since we last looked: its leaves come first.
          await this.catchUp(manager);
          const log = new TransparencyLog(LOG_ORIGIN, await this.vault.logSigner(manager), this.tree);
          return work(this.writer(manager, log));
        });
        this.committedSize = this.tree.size;
        return result;
      } catch (error) {
        if (this.tree.size !== this.committedSize) this.stale = true;
        throw error;
      }
    });
  }

  /** An entry proven against `treeSize` (≤ the committed size the caller read from the database). */
  async entry(logIndex: number, treeSize: number): Promise<ProvenEntry> {
    await this.ensureCommitted(treeSize);
    return this.proven(this.store.manager, logIndex, treeSize);
  }

  /** RFC 9162 PROOF(from, to), both ≤ the committed size the caller read from the database. */
  async consistency(from: number, to: number): Promise<Buffer[]> {
    await this.ensureCommitted(to);
    return this.tree.consistencyProof(from, to);
  }

  private writer(manager: EntityManager, log: TransparencyLog): LogWriter {
    return {
      manager,
      logKeyId: log.keyId,
      append: async (leaf, seal) => {
        const entry = log.append(leaf);
        const at = new Date(entry.integratedTime);
        await this.store.insert(
          manager,
          {
            ...seal,
            logIndex: entry.logIndex,
            leafHash: entry.leafHash,
            body: leaf.toString('utf8'),
            integratedTime: at,
          },
          {
            treeSize: entry.treeSize,
            rootHash: entry.rootHash,
            note: entry.checkpoint,
            keyId: log.keyId,
            createdAt: at,
          },
        );
        return entry;
      },
      issued: (logIndex) => this.proven(manager, logIndex, logIndex + 1),
    };
  }

  private async proven(manager: EntityManager, logIndex: number, treeSize: number): Promise<ProvenEntry> {
    const [leaf, checkpoint] = await Promise.all([
      this.store.leaf(logIndex, manager),
      this.store.checkpointAt(treeSize, manager),
    ]);
    if (!leaf || !checkpoint)
      throw new LogIntegrityError(`entry ${logIndex} or checkpoint ${treeSize} is missing`);
    const rootHash = this.tree.root(treeSize);
    if (!rootHash.equals(checkpoint.rootHash))
      throw new LogIntegrityError(`the tree of size ${treeSize} does not match its signed checkpoint`);
    return {
      leaf,
      logKeyId: checkpoint.keyId,
      proof: {
        logIndex,
        integratedTime: leaf.integratedTime.getTime(),
        leafHash: leaf.leafHash,
        treeSize,
        rootHash,
        hashes: this.tree.inclusionProof(logIndex, treeSize),
        checkpoint: checkpoint.note,
      },
    };
  }

  private async ensureCommitted(treeSize: number): Promise<void> {
    if (this.committedSize >= treeSize) return;
    await this.mutex.run(() => this.catchUp(this.store.manager));
    if (this.committedSize < treeSize) throw new LogIntegrityError(`tree size ${treeSize} is not committed`);
  }

  /**
   * Brings the tree to the database's committed size (that of the newest checkpoint: leaves below
   * it are committed, since each commits with its checkpoint) and checks the root against that
   * checkpoint. A full rebuild goes into a fresh tree that replaces the old one only once complete,
   * so readers never see it half built.
   */
  private async catchUp(manager: EntityManager): Promise<void> {
    const head = await this.store.latestCheckpoint(manager);
    const size = head?.treeSize ?? 0;
    const rebuild = this.stale || this.tree.size > size;
    const tree = rebuild ? new MerkleTree() : this.tree;
    for await (const batch of this.store.leafHashes(manager, tree.size, size))
      for (const leafHash of batch) tree.appendLeafHash(leafHash);
    if (head && !tree.root(size).equals(head.rootHash)) {
      this.stale = true;
      throw new LogIntegrityError(`stored leaves do not match the signed checkpoint of size ${size}`);
    }
    this.tree = tree;
    this.stale = false;
    this.committedSize = size;
  }
}

/** The stored log contradicts itself: refuse to append or prove rather than extend a broken log. */
export class LogIntegrityError extends InternalServerErrorException {
  constructor(reason: string) {
    super(`transparency log integrity check failed: ${reason}`);
    this.name = 'LogIntegrityError';
  }
}
