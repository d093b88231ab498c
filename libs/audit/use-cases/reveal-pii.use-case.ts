import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { DecryptionError } from '@personae/crypto';
import { entryView } from '../domain/entry-view';
import { checkRevealed, type RevealedField, type SealedField } from '../domain/pii-fields';
import { openWith } from '../domain/pii-seal';
import { PiiDataKeys } from '../keys/pii-data-keys';
import { LedgerQueries } from '../store/ledger-queries';
import { LedgerRepository } from '../store/ledger.repository';
import { piiContext } from './append-events.use-case';

export interface RevealedPii {
  position: number;
  eventId: string;
  /** False when retention already erased the clear values (the commitments stay in the ledger). */
  available: boolean;
  fields: RevealedField[];
}

/** Decrypts an entry's PII for an auditor and proves each value against the chained commitment. */
@Injectable()
export class RevealPii {
  constructor(
    private readonly queries: LedgerQueries,
    private readonly ledger: LedgerRepository,
    private readonly dataKeys: PiiDataKeys,
  ) {}

  async execute(tenantId: string, position: number): Promise<RevealedPii> {
    const row = await this.queries.entryAt(tenantId, position);
    if (!row) throw new NotFoundException(`no entry ${position} in this tenant's ledger`);
    const { entry } = entryView(row);
    const vault = await this.ledger.vaultRow(entry.eventId, tenantId);
    let key: Buffer | undefined;
    try {
      key = vault && (await this.dataKeys.forOpening(tenantId, vault.dataKeyId));
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      throw new ServiceUnavailableException('the PII data key does not unlock with the configured KEKs');
    }
    if (!vault || !key) return { position, eventId: entry.eventId, available: false, fields: [] };
    const clear = openWith(key, piiContext(tenantId, entry.eventId), vault.sealed);
    const fields = JSON.parse(clear.toString('utf8')) as Record<string, SealedField>;
    return {
      position,
      eventId: entry.eventId,
      available: true,
      fields: checkRevealed(entry.payload, fields),
    };
  }
}
