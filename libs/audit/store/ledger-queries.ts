import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@personae/persistence';
import type { EntryFilter } from '../domain/entry-filter';
import { AUDIT_SCHEMA } from './audit-schema';
import { COLUMN } from './ledger-columns';
import { toStored, type EntryRow, type StoredEntry } from './ledger.repository';

/** What auditors ask of the ledger: filtered pages, lineage look-ups, single entries. Read only. */
@Injectable()
export class LedgerQueries {
  constructor(@InjectDataSource(AUDIT_SCHEMA) private readonly dataSource: DataSource) {}

  async find(tenantId: string, filter: EntryFilter): Promise<(StoredEntry & { occurredMs: number })[]> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.personaName !== undefined) add(`${COLUMN.personaName} = ?`, filter.personaName);
    if (filter.personaVersion !== undefined) add(`${COLUMN.personaVersion} = ?`, filter.personaVersion);
    if (filter.sessionId !== undefined) add(`${COLUMN.sessionId} = ?`, filter.sessionId);
    if (filter.actorId !== undefined) add(`${COLUMN.actorId} = ?`, filter.actorId);
    if (filter.type !== undefined) add(`${COLUMN.type} = ?`, filter.type);
    if (filter.topic !== undefined) add(`${COLUMN.topic} = ?`, filter.topic);
    if (filter.decision !== undefined) add(`${COLUMN.decision} = ?`, filter.decision);
    if (filter.override !== undefined) {
      if (filter.decision === undefined) where.push(`${COLUMN.decision} IS NOT NULL`);
      add(`${COLUMN.override} = ?`, filter.override);
    }
    if (filter.correlationId !== undefined) add(`${COLUMN.correlationId} = ?`, filter.correlationId);
    if (filter.fromMs !== undefined || filter.toMs !== undefined) {
      // Recorded time never decreases along the chain: the window is a position range, which
      // every filter index (ending with the position) can serve in position order.
      const range = await this.positionsRecordedBetween(tenantId, filter.fromMs, filter.toMs);
      if (!range) return [];
      add('position >= ?', range.first);
      add('position <= ?', range.last);
    }
    if (filter.order === 'time' && filter.afterOccurredMs !== undefined) {
      params.push(filter.afterOccurredMs, filter.afterPosition ?? -1);
      where.push(`(${COLUMN.occurredMs}, position) > ($${params.length - 1}, $${params.length})`);
    } else if (filter.afterPosition !== undefined) add('position > ?', filter.afterPosition);
    params.push(filter.limit + 1);
    const rows: (EntryRow & { occurred_ms: string })[] = await this.dataSource.query(
      `SELECT position, entry, hash, ${COLUMN.occurredMs} AS occurred_ms FROM audit.ledger_entries
        WHERE ${where.join(' AND ')}
        ORDER BY ${filter.order === 'time' ? `${COLUMN.occurredMs}, position` : 'position'} LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({ ...toStored(row), occurredMs: Number(row.occurred_ms) }));
  }

  /** First and last positions recorded within [fromMs, toMs]; undefined when none was. */
  async positionsRecordedBetween(
    tenantId: string,
    fromMs: number | undefined,
    toMs: number | undefined,
  ): Promise<{ first: number; last: number } | undefined> {
    const rows: { first: string | null; last: string | null }[] = await this.dataSource.query(
      `SELECT (SELECT position FROM audit.ledger_entries
                WHERE tenant_id = $1 AND ${COLUMN.recordedMs} >= $2 AND ${COLUMN.recordedMs} <= $3
                ORDER BY ${COLUMN.recordedMs}, position LIMIT 1) AS first,
              (SELECT position FROM audit.ledger_entries
                WHERE tenant_id = $1 AND ${COLUMN.recordedMs} >= $2 AND ${COLUMN.recordedMs} <= $3
                ORDER BY ${COLUMN.recordedMs} DESC, position DESC LIMIT 1) AS last`,
      [tenantId, fromMs ?? 0, toMs ?? Number.MAX_SAFE_INTEGER],
    );
    const { first, last } = rows[0] ?? { first: null, last: null };
    return first === null || last === null ? undefined : { first: Number(first), last: Number(last) };
  }

  /** Entries whose index refs hold any of `refs` (`kind:id`), optionally of some types only. */
  async findByRefs(
    tenantId: string,
    refs: readonly string[],
    types?: readonly string[],
  ): Promise<StoredEntry[]> {
    if (refs.length === 0) return [];
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT position, entry, hash FROM audit.ledger_entries
        WHERE tenant_id = $1 AND ${COLUMN.refs} @> ANY($2::jsonb[])
          ${types ? `AND ${COLUMN.type} = ANY($3::text[])` : ''}
        ORDER BY position LIMIT 1000`,
      // One jsonb array per ref: a bitmap scan of the GIN index runs once per element.
      types
        ? [tenantId, refs.map((r) => JSON.stringify([r])), types]
        : [tenantId, refs.map((r) => JSON.stringify([r]))],
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
}
