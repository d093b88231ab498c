import type { KeyObject } from 'node:crypto';
import { keyId, openCheckpoint, type Checkpoint, type LogKey } from '@personae/crypto';

/**
 * Trust material for one transparency log, built once by its owner (e.g. the runtime at start).
 * It remembers checkpoint notes it has already verified, keyed by their exact text and bounded,
 * because every bundle sealed in the same tree state carries the same note: re-verifying it per
 * bundle would double the Ed25519 work. Owned by the caller, not module-global.
 */
export class TrustedLog implements LogKey {
  readonly keyId: string;
  readonly logId: Buffer;
  private readonly verified = new Map<string, Checkpoint>();

  constructor(
    readonly origin: string,
    readonly publicKey: KeyObject,
    private readonly memoSize = 4096,
  ) {
    this.keyId = keyId(publicKey);
    this.logId = Buffer.from(this.keyId, 'hex');
  }

  /** The note's checkpoint if the log key signed it; throws CheckpointError otherwise. */
  open(note: string): Checkpoint {
    const known = this.verified.get(note);
    if (known) return known;
    const checkpoint = openCheckpoint(note, this);
    if (this.verified.size >= this.memoSize) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(note, checkpoint);
    return checkpoint;
  }
}
