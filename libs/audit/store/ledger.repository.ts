import { Injectable } from '@nestjs/common';
import { escapeLiteral, type PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@personae/persistence';
import type { SignedCheckpoint } from '../domain/checkpoint';
import { AUDIT_SCHEMA } from './audit-schema';
import { BinaryCopyOut } from './binary-copy';
import { COLUMN } from './ledger-columns';

export interface StoredEntry {
  position: number;
  entry: string;
  hash: Buffer;
}

export interface ChainHead {
  nextPosition: number;
  headHash: Buffer;
  lastRecordedMs: number;
}

export interface NewEntryRow {
  entry: string;
  hash: Buffer;
}

export interface VaultRow {
  eventId: string;
  tenantId: string;
  dataKeyId: string;
  sealed: Buffer;
}

export interface EntryRow {
  position: string;
  entry: string;
  hash: Buffer;
}

interface HeadRow {
  next_position: string;
  head_hash: Buffer;
  last_recorded_ms: string;
}

const toHead = (row: HeadRow): ChainHead => ({
  nextPosition: Number(row.next_position),
  headHash: row.head_hash,
  lastRecordedMs: Number(row.last_recorded_ms),
});

export const toStored = (row: EntryRow): StoredEntry => ({
  position: Number(row.position),
  entry: row.entry,
  hash: row.hash,
});

/** SQL of the audit schema. Writes only append; the database refuses anything else. */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource(AUDIT_SCHEMA) readonly dataSource: DataSource) {}

  /**
   * Locks the tenant's chain head for this transaction (creating it at genesis when new) and
   * returns it with those of `eventIds` already recorded, in one round trip; `synchronousCommit`
   * 'off' applies to this transaction only (see IngestDurability).
   */
  async lockHead(
    manager: EntityManager,
    tenantId: string,
    eventIds: readonly string[],
    synchronousCommit: 'on' | 'off',
    genesis: Buffer,
  ): Promise<{ head: ChainHead; known: Set<string> }> {
    const select = (): Promise<(HeadRow & { known: string[] })[]> =>
      manager.query(
        `SELECT h.next_position, h.head_hash, h.last_recorded_ms,
                ARRAY(SELECT ${COLUMN.eventId} FROM audit.ledger_entries
                       WHERE ${COLUMN.eventId} = ANY($2::text[])) AS known,
                set_config('synchronous_commit', $3, true) AS commit_mode
           FROM audit.chain_heads h WHERE h.tenant_id = $1 FOR UPDATE OF h`,
        [tenantId, eventIds, synchronousCommit],
      );
    let rows = await select();
    if (rows.length === 0) {
      await manager.query(
        `INSERT INTO audit.chain_heads (tenant_id, next_position, head_hash) VALUES ($1, 0, $2)
         ON CONFLICT (tenant_id) DO NOTHING`,
        [tenantId, genesis],
      );
      rows = await select();
    }
    return { head: toHead(rows[0]!), known: new Set(rows[0]!.known) };
  }

  /** Entries, their vault rows and the new head in one statement. */
  async append(
    manager: EntityManager,
    tenantId: string,
    rows: readonly NewEntryRow[],
    vault: readonly VaultRow[],
    head: ChainHead,
  ): Promise<void> {
    // Entries travel as one text, a line each (canonical JSON escapes every control character, so
    // an entry never holds a newline), hashes as one bytea of 32 bytes each: no array literal to
    // escape and parse per row.
    for (const row of rows)
      if (row.entry.includes('\n') || row.hash.length !== 32) throw new Error('malformed ledger row');
    await manager.query(
      `WITH entries AS (
         INSERT INTO audit.ledger_entries (tenant_id, position, entry, hash)
         SELECT $1, $2::bigint + n - 1, e, substring($4::bytea FROM (n::integer - 1) * 32 + 1 FOR 32)
           FROM string_to_table($3::text, E'\\n') WITH ORDINALITY AS t(e, n)
       ), vault AS (
         INSERT INTO audit.pii_vault (event_id, tenant_id, data_key_id, sealed)
         SELECT v, $1, k, s FROM unnest($5::text[], $6::uuid[], $7::bytea[]) AS t(v, k, s)
       )
       UPDATE audit.chain_heads SET next_position = $8, head_hash = $9, last_recorded_ms = $10 WHERE tenant_id = $1`,
      [
        tenantId,
        head.nextPosition - rows.length,
        rows.map((r) => r.entry).join('\n'),
        Buffer.concat(rows.map((r) => r.hash)),
        vault.map((v) => v.eventId),
        vault.map((v) => v.dataKeyId),
        vault.map((v) => v.sealed),
        head.nextPosition,
        head.headHash,
        head.lastRecordedMs,
      ],
    );
  }

  async head(tenantId: string): Promise<ChainHead> {
    const rows: HeadRow[] = await this.dataSource.query(
      `SELECT next_position, head_hash, last_recorded_ms FROM audit.chain_heads WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ? toHead(rows[0]) : { nextPosition: 0, headHash: Buffer.alloc(32), lastRecordedMs: 0 };
  }

  async tenantsWithHeads(): Promise<string[]> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(
      `SELECT tenant_id FROM audit.chain_heads ORDER BY tenant_id`,
    );
    return rows.map((row) => row.tenant_id);
  }

  /**
   * Entries [from, to] in position order, `batch` rows per round trip (keyset, so constant cost);
   * the next batch is already being read while the caller works on this one.
   */
  async *scan(
    tenantId: string,
    from: number,
    to: number,
    batch = 20_000,
    manager: EntityManager = this.dataSource.manager,
  ): AsyncGenerator<StoredEntry[]> {
    const read = async (after: number): Promise<StoredEntry[]> => {
      const rows: EntryRow[] = await manager.query(
        `SELECT position, entry, hash FROM audit.ledger_entries
          WHERE tenant_id = $1 AND position > $2 AND position <= $3
          ORDER BY position LIMIT $4`,
        [tenantId, after, to, batch],
      );
      return rows.map(toStored);
    };
    let pending: Promise<StoredEntry[]> | undefined = read(from - 1);
    while (pending) {
      const entries: StoredEntry[] = await pending;
      if (entries.length === 0) return;
      pending = entries.length < batch ? undefined : read(entries[entries.length - 1]!.position);
      // Settle a prefetch the caller abandons (it stops at the first break) without an unhandled rejection.
      pending?.catch(() => undefined);
      yield entries;
    }
  }

  /**
   * Entries [from, to] in position order as one binary COPY stream, each row handed to `sink` as
   * views of the stored bytes (the entry's UTF-8 text, its hash) valid during the call only: no
   * per-row strings, no pages. `sink` returning false stops handling (the rest is read and dropped).
   */
  async copyEntries(
    tenantId: string,
    from: number,
    to: number,
    sink: (position: number, entry: Buffer, hash: Buffer) => boolean | void,
  ): Promise<void> {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))
      throw new Error('positions must be integers');
    // COPY takes no bind parameters: the tenant is quoted as a literal, the bounds are integers.
    const copy = new BinaryCopyOut(
      `COPY (SELECT position, entry, hash FROM audit.ledger_entries
              WHERE tenant_id = ${escapeLiteral(tenantId)} AND position >= ${from} AND position <= ${to}
              ORDER BY position) TO STDOUT (FORMAT binary)`,
      (fields) => {
        const [position, entry, hash] = fields as [Buffer, Buffer, Buffer];
        return sink(Number(position.readBigInt64BE(0)), entry, hash);
      },
    );
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      // Read the range along the primary key: for a large range the planner would rather scan the
      // whole table and sort, once per checkpoint window verified.
      await client.query('BEGIN READ ONLY');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_sort = off');
      void client.query(copy);
      await copy.done.finally(() => client.query('COMMIT'));
    } finally {
      await runner.release();
    }
  }

  /** Chain hashes only, [from, to]: what a checkpoint's Merkle root is computed over. */
  async *scanHashes(
    manager: EntityManager,
    tenantId: string,
    from: number,
    to: number,
  ): AsyncGenerator<Buffer[]> {
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

  async checkpoints(
    tenantId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SignedCheckpoint[]> {
    const rows: { statement: string; signature: SignedCheckpoint['signature'] }[] = await manager.query(
      `SELECT statement, signature FROM audit.checkpoints WHERE tenant_id = $1 ORDER BY sequence`,
      [tenantId],
    );
    return rows.map((row) => ({
      statement: JSON.parse(row.statement) as SignedCheckpoint['statement'],
      signature: row.signature,
    }));
  }

  async insertCheckpoint(
    manager: EntityManager,
    checkpoint: SignedCheckpoint,
    statementText: string,
  ): Promise<void> {
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
    const rows: { sealed: Buffer; data_key_id: string }[] = await this.dataSource.query(
      `SELECT sealed, data_key_id FROM audit.pii_vault WHERE event_id = $1 AND tenant_id = $2`,
      [eventId, tenantId],
    );
    return rows[0]
      ? { eventId, tenantId, dataKeyId: rows[0].data_key_id, sealed: rows[0].sealed }
      : undefined;
  }

  /** Retention: drops clear PII recorded before `before`; the ledger keeps its commitments. */
  async erasePiiBefore(before: Date): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const result: [unknown, number] = await this.dataSource.query(
      `DELETE FROM audit.pii_vault WHERE recorded_at < $1`,
      [before],
    );
    return result[1];
  }
}
