import { Injectable } from '@nestjs/common';
import { checkpointLine, entryLine, EXPORT_FORMAT, type ExportHeader } from '../domain/export-format';
import { LedgerKeys } from '../keys/ledger-keys';
import { LedgerRepository } from '../store/ledger.repository';
import { anchorFor, type Range } from './verify-ledger.use-case';

/**
 * Streams a tenant's ledger as JSON Lines (domain/export-format.ts). A range that does not start at
 * 0 starts after the last checkpoint before it, which the header carries as the signed anchor.
 */
@Injectable()
export class ExportLedger {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly keys: LedgerKeys,
  ) {}

  async *lines(tenantId: string, range: Range = {}): AsyncGenerator<string> {
    const [head, checkpoints, keys] = await Promise.all([
      this.ledger.head(tenantId),
      this.ledger.checkpoints(tenantId),
      this.keys.published(),
    ]);
    const anchor = range.from ? anchorFor(checkpoints, range.from) : undefined;
    const from = anchor ? anchor.statement.toPosition + 1 : 0;
    const to = Math.min(range.to ?? head.nextPosition - 1, head.nextPosition - 1);
    const header: ExportHeader = {
      kind: 'header',
      format: EXPORT_FORMAT,
      tenantId,
      fromPosition: from,
      toPosition: to,
      exportedAt: new Date().toISOString(),
      keys: keys.map(({ keyId, publicKeyPem }) => ({ keyId, publicKeyPem })),
      anchor: anchor ?? null,
    };
    yield `${JSON.stringify(header)}\n`;
    // Each checkpoint follows the entry it ends on, or comes where that entry should have been.
    const pending = checkpoints
      .filter((c) => c.statement.fromPosition >= from && c.statement.toPosition <= to)
      .sort((a, b) => a.statement.toPosition - b.statement.toPosition);
    let next = 0;
    for await (const rows of this.ledger.scan(tenantId, from, to, 5000)) {
      let chunk = '';
      for (const row of rows) {
        while (next < pending.length && pending[next]!.statement.toPosition < row.position)
          chunk += checkpointLine(pending[next++]!);
        chunk += entryLine(row.entry, row.hash);
        while (next < pending.length && pending[next]!.statement.toPosition <= row.position)
          chunk += checkpointLine(pending[next++]!);
      }
      yield chunk;
    }
    while (next < pending.length) yield checkpointLine(pending[next++]!);
  }
}
