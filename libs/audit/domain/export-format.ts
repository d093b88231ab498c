import type { SignedCheckpoint } from './checkpoint';
import type { LedgerEntry } from './ledger-entry';

/**
 * The export: JSON Lines. A header (tenant, range, the ledger's public keys, the anchor checkpoint
 * when the range does not start at 0), then each entry with its chain hash, each checkpoint right
 * after the entry it ends on. The offline command verifies it with a public key and nothing else.
 */
export const EXPORT_FORMAT = 'personae.audit.export/v1';

export interface ExportHeader {
  kind: 'header';
  format: typeof EXPORT_FORMAT;
  tenantId: string;
  fromPosition: number;
  toPosition: number;
  exportedAt: string;
  /** Public keys as the ledger publishes them; the verifier trusts only those it was given itself. */
  keys: { keyId: string; publicKeyPem: string }[];
  anchor: SignedCheckpoint | null;
}

export interface ExportEntry {
  kind: 'entry';
  hash: string;
  entry: LedgerEntry;
}

export interface ExportCheckpoint extends SignedCheckpoint {
  kind: 'checkpoint';
}

export type ExportLine = ExportHeader | ExportEntry | ExportCheckpoint;

export function entryLine(entryText: string, hash: Buffer): string {
  // The stored canonical text embedded as is: no parse and re-serialise per entry.
  return `{"kind":"entry","hash":"${hash.toString('hex')}","entry":${entryText}}\n`;
}

export function checkpointLine(checkpoint: SignedCheckpoint): string {
  return `${JSON.stringify({ kind: 'checkpoint', ...checkpoint })}\n`;
}
