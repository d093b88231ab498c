import type { LedgerEntry } from './ledger-entry';

/** An entry as the API returns it: the hashed entry, its position and chain hash. */
export interface EntryView {
  position: number;
  hash: string;
  entry: LedgerEntry;
}

export function entryView(row: { position: number; entry: string; hash: Buffer }): EntryView {
  return {
    position: row.position,
    hash: row.hash.toString('hex'),
    entry: JSON.parse(row.entry) as LedgerEntry,
  };
}

/** The body of the payload's oneof case, e.g. the `sealed` object of a lifecycle event. */
export function payloadBody(entry: LedgerEntry): Record<string, unknown> {
  const body = Object.values(entry.payload)[0];
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
