import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SignedCheckpoint } from '../domain/checkpoint';
import { LedgerVerifier, type Verdict } from '../domain/ledger-verifier';
import { LedgerKeys } from '../keys/ledger-keys';
import { LedgerRepository } from '../store/ledger.repository';

export interface VerificationReport {
  tenantId: string;
  ok: boolean;
  /** First position checked: the requested one, or earlier, after the last checkpoint before it. */
  from: number;
  /** Last position checked when ok. */
  to: number | null;
  entries: number;
  checkpoints: number;
  head: string | null;
  firstBroken: { position: number; reason: string } | null;
}

export interface Range {
  from?: number;
  to?: number;
}

/** The last checkpoint ending before `from`: its signed chain head is where checking starts. */
export function anchorFor(
  checkpoints: readonly SignedCheckpoint[],
  from: number,
): SignedCheckpoint | undefined {
  let anchor: SignedCheckpoint | undefined;
  for (const checkpoint of checkpoints)
    if (
      checkpoint.statement.toPosition < from &&
      (!anchor || checkpoint.statement.toPosition > anchor.statement.toPosition)
    )
      anchor = checkpoint;
  return anchor;
}

/** Segments verified at once: Postgres reads the next rows on the other core while this one hashes. */
const PARALLEL_SEGMENTS = 3;

interface Segment {
  anchor: SignedCheckpoint | undefined;
  from: number;
  to: number;
}

/**
 * Checkpoint windows in order from `start`, each anchored on the checkpoint before it, plus the
 * tail after the last; undefined unless the checkpoints tile the chain from `start` (then one
 * sequential pass finds and names whatever is wrong with them).
 */
export function segmentsFor(
  checkpoints: readonly SignedCheckpoint[],
  start: number,
  end: number,
): Segment[] | undefined {
  const sorted = [...checkpoints].sort((a, b) => a.statement.sequence - b.statement.sequence);
  const segments: Segment[] = [];
  let previous: SignedCheckpoint | undefined;
  for (const checkpoint of sorted) {
    const { fromPosition, toPosition, sequence } = checkpoint.statement;
    if (
      previous &&
      (sequence !== previous.statement.sequence + 1 || fromPosition !== previous.statement.toPosition + 1)
    )
      return undefined;
    if (!previous && (sequence !== 0 || fromPosition !== 0)) return undefined;
    if (toPosition > end) break;
    if (fromPosition >= start) segments.push({ anchor: previous, from: fromPosition, to: toPosition });
    previous = checkpoint;
  }
  const tailFrom = segments.length > 0 ? segments[segments.length - 1]!.to + 1 : start;
  if (tailFrom <= end || segments.length === 0)
    segments.push({
      anchor: segments.length > 0 ? previous : anchorFor(sorted, start),
      from: tailFrom,
      to: end,
    });
  return segments;
}

/**
 * Re-checks a tenant's chain and checkpoints over a range, reading rows in position order. A chain
 * is valid when each stored hash is SHA-256(the stored hash before it ‖ entry), so the windows
 * between signed checkpoints are checked side by side, each from its anchor checkpoint's signed
 * chain head; the first broken position over all of them is reported.
 */
@Injectable()
export class VerifyLedger {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly keys: LedgerKeys,
  ) {}

  async execute(tenantId: string, range: Range = {}): Promise<VerificationReport> {
    const [head, checkpoints, keys] = await Promise.all([
      this.ledger.head(tenantId),
      this.ledger.checkpoints(tenantId),
      this.keys.trusted(),
    ]);
    const anchor = range.from ? anchorFor(checkpoints, range.from) : undefined;
    const start = anchor ? anchor.statement.toPosition + 1 : 0;
    const end =
      range.to ?? Math.max(head.nextPosition - 1, ...checkpoints.map((c) => c.statement.toPosition));
    const expectedNext = Math.min(head.nextPosition, end + 1);
    const segments = segmentsFor(checkpoints, start, end) ?? [{ anchor, from: start, to: end }];

    const verdicts: Verdict[] = new Array<Verdict>(segments.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < segments.length) {
        const index = next++;
        const segment = segments[index]!;
        const last = index === segments.length - 1;
        verdicts[index] = await this.verifySegment(
          tenantId,
          keys,
          checkpoints,
          segment,
          last ? expectedNext : segment.to + 1,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_SEGMENTS, segments.length) }, worker));
    return report(tenantId, combine(verdicts));
  }

  private async verifySegment(
    tenantId: string,
    keys: ReadonlyMap<string, KeyObject>,
    checkpoints: readonly SignedCheckpoint[],
    segment: Segment,
    expectedNext: number,
  ): Promise<Verdict> {
    const verifier = new LedgerVerifier({ tenantId, keys, checkpoints, anchor: segment.anchor });
    if (!verifier.isBroken)
      await this.ledger.copyEntries(tenantId, segment.from, segment.to, (position, entry, hash) =>
        verifier.push(position, entry, hash),
      );
    return verifier.finish(expectedNext, segment.to);
  }
}

/** One verdict for consecutive segments: the first break, or the whole range intact. */
export function combine(verdicts: readonly Verdict[]): Verdict {
  const entries = verdicts.reduce((sum, v) => sum + v.entries, 0);
  const checkpoints = verdicts.reduce((sum, v) => sum + v.checkpoints, 0);
  const from = verdicts[0]!.from;
  let broken: Extract<Verdict, { ok: false }> | undefined;
  for (const verdict of verdicts)
    if (!verdict.ok && (!broken || verdict.position < broken.position)) broken = verdict;
  if (broken) return { ...broken, from, entries, checkpoints };
  const last = verdicts[verdicts.length - 1] as Extract<Verdict, { ok: true }>;
  const to = [...verdicts].reverse().find((v) => v.ok && v.entries > 0) as
    Extract<Verdict, { ok: true }> | undefined;
  return { ok: true, from, to: to?.to ?? from - 1, entries, checkpoints, head: to?.head ?? last.head };
}

export function report(tenantId: string, verdict: Verdict): VerificationReport {
  return verdict.ok
    ? {
        tenantId,
        ok: true,
        from: verdict.from,
        to: verdict.entries > 0 ? verdict.to : null,
        entries: verdict.entries,
        checkpoints: verdict.checkpoints,
        head: verdict.head,
        firstBroken: null,
      }
    : {
        tenantId,
        ok: false,
        from: verdict.from,
        to: null,
        entries: verdict.entries,
        checkpoints: verdict.checkpoints,
        head: null,
        firstBroken: { position: verdict.position, reason: verdict.reason },
      };
}
