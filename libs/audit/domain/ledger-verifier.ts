import { createHash, hash, type KeyObject } from 'node:crypto';
import { GENESIS_HASH } from '@personae/crypto';
import {
  checkCheckpointSignature,
  CheckpointRoot,
  NO_PREVIOUS,
  statementDigest,
  type SignedCheckpoint,
} from './checkpoint';

/**
 * Re-checks one tenant's ledger over a range: every entry's chain hash (the construction of
 * @personae/crypto's hash-chain: SHA-256(prev hash ‖ canonical entry)), that positions have no
 * gap, and every signed checkpoint met on the way (signature by a ledger key, link to the previous
 * checkpoint, Merkle root, chain head). Streaming and plain: the endpoint feeds it database rows,
 * the offline command feeds it an export file. It stops at the first broken position.
 */
export interface VerifierOptions {
  tenantId: string;
  keys: ReadonlyMap<string, KeyObject>;
  /** Every checkpoint of the tenant from the anchor on, any order. */
  checkpoints: readonly SignedCheckpoint[];
  /** Start after this checkpoint (its chain head is the start hash); absent = from position 0. */
  anchor?: SignedCheckpoint;
}

export type Verdict =
  | { ok: true; from: number; to: number; entries: number; checkpoints: number; head: string }
  | {
      ok: false;
      /** The first position the ledger no longer proves. */
      position: number;
      reason: string;
      from: number;
      entries: number;
      checkpoints: number;
    };

interface OpenWindow {
  checkpoint: SignedCheckpoint;
  root: CheckpointRoot;
}

export class LedgerVerifier {
  private readonly from: number;
  private next: number;
  private prev: Buffer;
  private previousDigest: string;
  private previousTo: number;
  private readonly byFrom = new Map<number, SignedCheckpoint>();
  private window: OpenWindow | undefined;
  private entries = 0;
  private checked = 0;
  private broken: { position: number; reason: string } | undefined;
  private scratch = Buffer.allocUnsafe(4096);

  constructor(private readonly options: VerifierOptions) {
    for (const checkpoint of options.checkpoints) {
      if (checkpoint.statement.tenantId !== options.tenantId) continue;
      this.byFrom.set(checkpoint.statement.fromPosition, checkpoint);
    }
    const anchor = options.anchor;
    if (anchor) {
      this.from = anchor.statement.toPosition + 1;
      this.prev = Buffer.from(anchor.statement.chainHead, 'hex');
      this.previousDigest = statementDigest(anchor.statement);
      this.previousTo = anchor.statement.toPosition;
      const signature = checkCheckpointSignature(anchor, options.keys);
      if (!signature.ok || anchor.statement.tenantId !== options.tenantId)
        this.broken = {
          position: this.from,
          reason: `anchor checkpoint ${anchor.statement.sequence} is not trusted: ${signature.ok ? 'other tenant' : signature.reason}`,
        };
    } else {
      this.from = 0;
      this.prev = Buffer.from(GENESIS_HASH, 'hex');
      this.previousDigest = NO_PREVIOUS;
      this.previousTo = -1;
    }
    this.next = this.from;
  }

  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  /** Feed entries in position order; returns false from the first break on. */
  push(position: number, canonicalEntry: string | Buffer, storedHash: Buffer): boolean {
    if (this.broken) return false;
    if (position !== this.next)
      return this.fail(
        this.next,
        position > this.next
          ? `entry ${this.next} is missing (next stored entry is ${position})`
          : `entry ${position} appears again or out of order after ${this.next - 1}`,
      );
    const starting = this.byFrom.get(position);
    if (starting && !this.openWindow(starting)) return false;
    const digest = this.chainHash(canonicalEntry);
    if (!digest.equals(storedHash))
      return this.fail(
        position,
        `entry ${position}: stored hash does not match the chain (entry or hash altered)`,
      );
    this.prev = digest;
    this.next++;
    this.entries++;
    if (this.window) {
      this.window.root.push(digest);
      if (this.window.checkpoint.statement.toPosition === position) return this.closeWindow();
    }
    return true;
  }

  /**
   * Ends the run. `expectedNext`: the position after the last entry the ledger should hold (its
   * chain head, or the end of the range asked for); a checkpoint reaching past what was read also
   * counts, so a deleted tail is detected.
   */
  finish(expectedNext?: number, rangeEnd?: number): Verdict {
    if (!this.broken) {
      const limit = rangeEnd === undefined ? Infinity : rangeEnd + 1;
      let needed = Math.min(expectedNext ?? this.next, limit);
      for (const checkpoint of this.byFrom.values())
        if (checkpoint.statement.fromPosition >= this.from)
          needed = Math.max(needed, Math.min(checkpoint.statement.toPosition + 1, limit));
      if (needed > this.next) this.fail(this.next, `entries ${this.next}..${needed - 1} are missing`);
    }
    if (this.broken)
      return {
        ok: false,
        ...this.broken,
        from: this.from,
        entries: this.entries,
        checkpoints: this.checked,
      };
    return {
      ok: true,
      from: this.from,
      to: this.next - 1,
      entries: this.entries,
      checkpoints: this.checked,
      head: this.prev.toString('hex'),
    };
  }

  /** SHA-256(prev ‖ entry); for bytes, one call over a reused buffer (no hash object per entry). */
  private chainHash(entry: string | Buffer): Buffer {
    if (typeof entry === 'string') return createHash('sha256').update(this.prev).update(entry).digest();
    const length = this.prev.length + entry.length;
    if (this.scratch.length < length)
      this.scratch = Buffer.allocUnsafe(Math.max(length, 2 * this.scratch.length));
    this.scratch.set(this.prev, 0);
    this.scratch.set(entry, this.prev.length);
    return hash('sha256', this.scratch.subarray(0, length), 'buffer');
  }

  private openWindow(checkpoint: SignedCheckpoint): boolean {
    const { statement } = checkpoint;
    const label = `checkpoint ${statement.sequence} [${statement.fromPosition}..${statement.toPosition}]`;
    const signature = checkCheckpointSignature(checkpoint, this.options.keys);
    if (!signature.ok) return this.fail(statement.fromPosition, `${label}: ${signature.reason}`);
    if (statement.fromPosition !== this.previousTo + 1 || statement.previous !== this.previousDigest)
      return this.fail(statement.fromPosition, `${label} does not follow the previous checkpoint`);
    if (statement.toPosition < statement.fromPosition)
      return this.fail(statement.fromPosition, `${label} covers no entry`);
    if (this.window) return this.fail(statement.fromPosition, `${label} overlaps an open checkpoint`);
    this.window = { checkpoint, root: new CheckpointRoot() };
    return true;
  }

  private closeWindow(): boolean {
    const { statement } = this.window!.checkpoint;
    const label = `checkpoint ${statement.sequence} [${statement.fromPosition}..${statement.toPosition}]`;
    const root = this.window!.root.rootHex();
    this.window = undefined;
    // The entries matched their stored hashes, so a mismatch here means hashes were rewritten as a chain.
    if (root !== statement.merkleRoot)
      return this.fail(
        statement.fromPosition,
        `${label}: Merkle root differs (entries rewritten with their hashes)`,
      );
    if (this.prev.toString('hex') !== statement.chainHead)
      return this.fail(statement.fromPosition, `${label}: chain head differs`);
    this.previousDigest = statementDigest(statement);
    this.previousTo = statement.toPosition;
    this.checked++;
    return true;
  }

  private fail(position: number, reason: string): false {
    this.broken ??= { position, reason };
    return false;
  }
}
