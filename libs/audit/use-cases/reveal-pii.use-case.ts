import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { decryptSecret, type KeyRing } from '@personae/crypto';
import { KEY_RING } from '@personae/service-kit';
import { entryView } from '../domain/entry-view';
import { checkRevealed, type RevealedField, type SealedField } from '../domain/pii-fields';
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
    private readonly ledger: LedgerRepository,
    @Inject(KEY_RING) private readonly ring: KeyRing,
  ) {}

  async execute(tenantId: string, position: number): Promise<RevealedPii> {
    const row = await this.ledger.entryAt(tenantId, position);
    if (!row) throw new NotFoundException(`no entry ${position} in this tenant's ledger`);
    const { entry } = entryView(row);
    const vault = await this.ledger.vaultRow(entry.eventId, tenantId);
    if (!vault) return { position, eventId: entry.eventId, available: false, fields: [] };
    const clear = decryptSecret(this.ring, vault.sealed, { context: piiContext(tenantId, entry.eventId) });
    const fields = JSON.parse(clear.toString('utf8')) as Record<string, SealedField>;
    return {
      position,
      eventId: entry.eventId,
      available: true,
      fields: checkRevealed(entry.payload, fields),
    };
  }
}
