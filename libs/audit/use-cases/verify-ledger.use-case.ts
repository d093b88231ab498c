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

/** Re-checks a tenant's chain and checkpoints over a range, reading rows in position order. */
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
    const verifier = new LedgerVerifier({ tenantId, keys, checkpoints, anchor });
    const start = anchor ? anchor.statement.toPosition + 1 : 0;
    const end =
      range.to ?? Math.max(head.nextPosition - 1, ...checkpoints.map((c) => c.statement.toPosition));
    scan: for await (const rows of this.ledger.scan(tenantId, start, end)) {
      for (const row of rows) if (!verifier.push(row.position, row.entry, row.hash)) break scan;
    }
    return report(tenantId, verifier.finish(Math.min(head.nextPosition, end + 1), end));
  }
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
