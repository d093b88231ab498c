import { Injectable } from '@nestjs/common';
import { encodeCursor, type EntryFilter } from '../domain/entry-filter';
import { entryView, type EntryView } from '../domain/entry-view';
import { LedgerQueries } from '../store/ledger-queries';

export interface EntryPage {
  entries: EntryView[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

function cursorAfter(last: { position: number; occurredMs: number }, filter: EntryFilter): string {
  return encodeCursor(
    filter.order === 'time'
      ? { position: last.position, occurredMs: last.occurredMs }
      : { position: last.position },
  );
}

/** Filtered, tenant-scoped pages of the ledger in position order. */
@Injectable()
export class QueryEntries {
  constructor(private readonly ledger: LedgerQueries) {}

  async page(tenantId: string, filter: EntryFilter): Promise<EntryPage> {
    const rows = await this.ledger.find(tenantId, filter);
    const page = rows.slice(0, filter.limit);
    return {
      entries: page.map(entryView),
      nextCursor: rows.length > filter.limit ? cursorAfter(page[page.length - 1]!, filter) : null,
    };
  }

  async at(tenantId: string, position: number): Promise<EntryView | undefined> {
    const row = await this.ledger.entryAt(tenantId, position);
    return row ? entryView(row) : undefined;
  }
}
