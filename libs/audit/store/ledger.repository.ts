import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@personae/persistence';
import type { SignedCheckpoint } from '../domain/checkpoint';
import type { EntryFilter } from '../domain/entry-filter';
import { AUDIT_SCHEMA } from './audit-schema';

export interface StoredEntry {
  position: number;
  entry: string;
  hash: Buffer;
}

export interface ChainHead {
  nextPosition: number;
  headHash: Buffer;
}

export interface NewEntryRow {
  entry: string;
  hash: Buffer;
}

export interface VaultRow {
  eventId: string;
  tenantId: string;
  sealed: Buffer;
  kekId: string;
}

interface EntryRow {
  position: string;
  entry: string;
  hash: Buffer;
}

const toStored = (row: EntryRow): StoredEntry => ({
  position: Number(row.position),
  entry: row.entry,
  hash: row.hash,
});

/** SQL of the audit schema. Writes only append; the database refuses anything else. */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource(AUDIT_SCHEMA) readonly dataSource: DataSource) {}

  /** Locks the tenant's chain head for this transaction, creating it at genesis when new. */
  async lockHead(manager: EntityManager, tenantId: string, genesis: Buffer): Promise<ChainHead> {
    await manager.query(
      `INSERT INTO audit.chain_heads (tenant_id, next_position, head_hash) VALUES ($1, 0, $2)
       ON CONFLICT (tenant_id) DO NOTHING`,
      [tenantId, genesis],
    );
    const rows: { next_position: string; head_hash: Buffer }[] = await manager.query(
      `SELECT next_position, head_hash FROM audit.chain_heads WHERE tenant_id = $1 FOR UPDATE`,
      [tenantId],
    );
    return { nextPosition: Number(rows[0]!.next_position), headHash: rows[0]!.head_hash };
  }

  async existingEventIds(manager: EntityManager, eventIds: readonly string[]): Promise<Set<string>> {
    const rows: { event_id: string }[] = await manager.query(
      `SELECT event_id FROM audit.ledger_entries WHERE event_id = ANY($1::text[])`,
      [eventIds],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  async append(
    manager: EntityManager,
    tenantId: string,
    rows: readonly NewEntryRow[],
    vault: readonly VaultRow[],
    head: ChainHead,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO audit.ledger_entries (entry, hash) SELECT * FROM unnest($1::text[], $2::bytea[])`,
      [rows.map((r) => r.entry), rows.map((r) => r.hash)],
    );
    if (vault.length > 0)
      await manager.query(
        `INSERT INTO audit.pii_vault (event_id, tenant_id, sealed, kek_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[])`,
        [vault.map((v) => v.eventId), vault.map((v) => v.tenantId), vault.map((v) => v.sealed), vault.map((v) => v.kekId)],
      );
    await manager.query(
      `UPDATE audit.chain_heads SET next_position = $2, head_hash = $3 WHERE tenant_id = $1`,
      [tenantId, head.nextPosition, head.headHash],
    );
  }

  async head(tenantId: string): Promise<ChainHead> {
    const rows: { next_position: string; head_hash: Buffer }[] = await this.dataSource.query(
      `SELECT next_position, head_hash FROM audit.chain_heads WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]
      ? { nextPosition: Number(rows[0].next_position), headHash: rows[0].head_hash }
      : { nextPosition: 0, headHash: Buffer.alloc(32) };
  }

  async tenantsWithHeads(): Promise<string[]> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(
      `SELECT tenant_id FROM audit.chain_heads ORDER BY tenant_id`,
    );
    return rows.map((row) => row.tenant_id);
  }

  /** Entries [from, to] in position order, `batch` rows per round trip (keyset, so constant cost). */
  async *scan(
    tenantId: string,
    from: number,
    to: number,
    batch = 20_000,
    manager: EntityManager = this.dataSource.manager,
  ): AsyncGenerator<StoredEntry[]> {
    let after = from - 1;
    for (;;) {
      const rows: EntryRow[] = await manager.query(
        `SELECT position, entry, hash FROM audit.ledger_entries
          WHERE tenant_id = $1 AND position > $2 AND position <= $3
          ORDER BY position LIMIT $4`,
        [tenantId, after, to, batch],
      );
      if (rows.length === 0) return;
      const entries = rows.map(toStored);
      yield entries;
      after = entries[entries.length - 1]!.position;
      if (rows.length < batch) return;
    }
  }

  /** Chain hashes only, [from, to]: what a checkpoint's Merkle root is computed over. */
  async *scanHashes(manager: EntityManager, tenantId: string, from: number, to: number): AsyncGenerator<Buffer[]> {
    const batch = 50_000;
    let after = from - 1;
    for (;;) {
      const rows: { position: string; hash: Buffer }[] = await manager.query(
        `SELECT position, hash FROM audit.ledger_entries
          WHERE tenant_id = $1 AND position > $2 AND position <= $3
          ORDER BY position LIMIT $4`,
        [tenantId, after, to, batch],
      );
      if (rows.length === 0) return;
      yield rows.map((row) => row.hash);
      after = Number(rows[rows.length - 1]!.position);
      if (rows.length < batch) return;
    }
  }

  async find(tenantId: string, filter: EntryFilter): Promise<(StoredEntry & { occurredMs: number })[]> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.personaName !== undefined) add('persona_name = ?', filter.personaName);
    if (filter.personaVersion !== undefined) add('persona_version = ?', filter.personaVersion);
    if (filter.sessionId !== undefined) add('session_id = ?', filter.sessionId);
    if (filter.actorId !== undefined) add('actor_id = ?', filter.actorId);
    if (filter.type !== undefined) add('type = ?', filter.type);
    if (filter.topic !== undefined) add('topic = ?', filter.topic);
    if (filter.decision !== undefined) add('decision = ?', filter.decision);
    if (filter.override !== undefined) {
      if (filter.decision === undefined) where.push('decision IS NOT NULL');
      add('decision_override = ?', filter.override);
    }
    if (filter.correlationId !== undefined) add('correlation_id = ?', filter.correlationId);
    if (filter.fromMs !== undefined) add('occurred_ms >= ?', filter.fromMs);
    if (filter.toMs !== undefined) add('occurred_ms <= ?', filter.toMs);
    if (filter.order === 'time' && filter.afterOccurredMs !== undefined) {
      params.push(filter.afterOccurredMs, filter.afterPosition ?? -1);
      where.push(`(occurred_ms, position) > ($${params.length - 1}, $${params.length})`);
    } else if (filter.afterPosition !== undefined) add('position > ?', filter.afterPosition);
    params.push(filter.limit + 1);
    const rows: (EntryRow & { occurred_ms: string })[] = await this.dataSource.query(
      `SELECT position, entry, hash, occurred_ms FROM audit.ledger_entries WHERE ${where.join(' AND ')}
        ORDER BY ${filter.order === 'time' ? 'occurred_ms, position' : 'position'} LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({ ...toStored(row), occurredMs: Number(row.occurred_ms) }));
  }

  /** Entries whose index refs hold any of `refs` (`kind:id`), optionally of some types only. */
  async findByRefs(tenantId: string, refs: readonly string[], types?: readonly string[]): Promise<StoredEntry[]> {
    if (refs.length === 0) return [];
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT position, entry, hash FROM audit.ledger_entries
        WHERE tenant_id = $1 AND refs @> ANY(SELECT jsonb_build_array(r) FROM unnest($2::text[]) r)
          ${types ? 'AND type = ANY($3::text[])' : ''}
        ORDER BY position LIMIT 1000`,
      types ? [tenantId, refs, types] : [tenantId, refs],
    );
    return rows.map(toStored);
  }

  async entryAt(tenantId: string, position: number): Promise<StoredEntry | undefined> {
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT position, entry, hash FROM audit.ledger_entries WHERE tenant_id = $1 AND position = $2`,
      [tenantId, position],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async checkpoints(tenantId: string, manager: EntityManager = this.dataSource.manager): Promise<SignedCheckpoint[]> {
    const rows: { statement: string; signature: SignedCheckpoint['signature'] }[] = await manager.query(
      `SELECT statement, signature FROM audit.checkpoints WHERE tenant_id = $1 ORDER BY sequence`,
      [tenantId],
    );
    return rows.map((row) => ({
      statement: JSON.parse(row.statement) as SignedCheckpoint['statement'],
      signature: row.signature,
    }));
  }

  async insertCheckpoint(manager: EntityManager, checkpoint: SignedCheckpoint, statementText: string): Promise<void> {
    const { statement, signature } = checkpoint;
    await manager.query(
      `INSERT INTO audit.checkpoints (tenant_id, sequence, from_position, to_position, statement, signature, key_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        statement.tenantId,
        statement.sequence,
        statement.fromPosition,
        statement.toPosition,
        statementText,
        JSON.stringify(signature),
        signature.keyid,
        statement.createdAt,
      ],
    );
  }

  async vaultRow(eventId: string, tenantId: string): Promise<VaultRow | undefined> {
    const rows: { sealed: Buffer; kek_id: string }[] = await this.dataSource.query(
      `SELECT sealed, kek_id FROM audit.pii_vault WHERE event_id = $1 AND tenant_id = $2`,
      [eventId, tenantId],
    );
    return rows[0] ? { eventId, tenantId, sealed: rows[0].sealed, kekId: rows[0].kek_id } : undefined;
  }

  /** Retention: drops clear PII recorded before `before`; the ledger keeps its commitments. */
  async erasePiiBefore(before: Date): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, count] = (await this.dataSource.query(`DELETE FROM audit.pii_vault WHERE recorded_at < $1`, [
      before,
    ])) as [unknown, number];
    return count;
  }
}
