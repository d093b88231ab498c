import type {
  BudgetCounters,
  CounterAdjustment,
  CounterReservation,
  ReserveOutcome,
} from './budget-counters.port';

export type SqlQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Runs `work` in one transaction (commit on return, rollback on throw). */
export type SqlTransactions = <T>(work: (query: SqlQuery) => Promise<T>) => Promise<T>;

/** The counters table; the owning service creates it in its own schema with this SQL. */
export function budgetCountersTableSql(table: string): string {
  return `CREATE TABLE ${table} (
  key text PRIMARY KEY,
  total bigint NOT NULL,
  expires_at timestamptz NOT NULL
)`;
}

class Refused extends Error {
  constructor(readonly outcome: Extract<ReserveOutcome, { ok: false }>) {
    super('budget refused');
  }
}

/**
 * Counters as rows. Each key is one `INSERT … ON CONFLICT DO UPDATE … WHERE total + amount <= limit
 * RETURNING`: the row lock serialises concurrent reservations and the WHERE re-checks the latest total,
 * so no interleaving passes the limit. Several keys share a transaction (all or none), taken in key
 * order so two multi-key reservations cannot deadlock. An expired counter restarts from zero.
 * With `statement` (one self-contained statement, autocommitted), work that is one statement — one key
 * reserved or adjusted, a read — skips BEGIN/COMMIT: a single statement is atomic on its own.
 */
export class PostgresBudgetCounters implements BudgetCounters {
  constructor(
    private readonly transactions: SqlTransactions,
    private readonly table: string,
    private readonly statement?: SqlQuery,
  ) {}

  async reserve(entries: readonly CounterReservation[]): Promise<ReserveOutcome> {
    if (entries.length === 0) return { ok: true, totals: [] };
    if (entries.length === 1 && this.statement) return this.reserveOne(this.statement, entries[0]!);
    const order = entries.map((_, i) => i).sort((a, b) => (entries[a]!.key < entries[b]!.key ? -1 : 1));
    try {
      return await this.transactions(async (query) => {
        const totals: number[] = new Array<number>(entries.length);
        for (const index of order) {
          const entry = entries[index]!;
          const total = await this.tryReserve(query, entry);
          if (total === undefined) {
            const [current] = await this.readWith(query, [entry.key]);
            throw new Refused({ ok: false, index, total: current ?? 0 });
          }
          totals[index] = total;
        }
        return { ok: true as const, totals };
      });
    } catch (error) {
      if (error instanceof Refused) return error.outcome;
      throw error;
    }
  }

  /**
   * One statement for any number of keys (no limit to check, so nothing to refuse): a multi-row
   * upsert is atomic on its own. The same key twice is summed first (one statement cannot update a
   * row twice), and rows are taken in key order, like reservations, so concurrent calls cannot deadlock.
   */
  async adjust(entries: readonly CounterAdjustment[]): Promise<void> {
    if (entries.length === 0) return;
    const merged = new Map<string, CounterAdjustment>();
    for (const entry of entries) {
      const seen = merged.get(entry.key);
      merged.set(entry.key, seen ? { ...seen, amount: seen.amount + entry.amount } : entry);
    }
    const sorted = [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    const sql = `INSERT INTO ${this.table} AS c (key, total, expires_at)
       SELECT key, amount, now() + make_interval(secs => ttl)
         FROM unnest($1::text[], $2::bigint[], $3::float8[]) AS adjustment (key, amount, ttl)
       ON CONFLICT (key) DO UPDATE SET
         total = CASE WHEN c.expires_at <= now() THEN excluded.total ELSE c.total + excluded.total END,
         expires_at = CASE WHEN c.expires_at <= now() THEN excluded.expires_at ELSE c.expires_at END`;
    const params = [sorted.map((e) => e.key), sorted.map((e) => e.amount), sorted.map((e) => e.ttlSeconds)];
    if (this.statement) await this.statement(sql, params);
    else await this.transactions((query) => query(sql, params));
  }

  read(keys: readonly string[]): Promise<number[]> {
    if (this.statement) return this.readWith(this.statement, keys);
    return this.transactions((query) => this.readWith(query, keys));
  }

  /**
   * One key: the upsert alone (refused by its WHERE when the limit would pass). Only a refusal reads
   * the total it reports, in a statement of its own: it then sees the reservations that refused it.
   */
  private async reserveOne(query: SqlQuery, entry: CounterReservation): Promise<ReserveOutcome> {
    const reserved = await this.tryReserve(query, entry);
    if (reserved !== undefined) return { ok: true, totals: [reserved] };
    const [total] = await this.readWith(query, [entry.key]);
    return { ok: false, index: 0, total: total ?? 0 };
  }
  /** The upsert that adds `amount` unless the limit would pass: the new total, or undefined if refused. */
  private async tryReserve(query: SqlQuery, entry: CounterReservation): Promise<number | undefined> {
    if (entry.amount > entry.limit) return undefined;
    const rows = await query(
      `INSERT INTO ${this.table} AS c (key, total, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $4))
       ON CONFLICT (key) DO UPDATE SET
         total = CASE WHEN c.expires_at <= now() THEN excluded.total ELSE c.total + excluded.total END,
         expires_at = CASE WHEN c.expires_at <= now() THEN excluded.expires_at ELSE c.expires_at END
       WHERE (CASE WHEN c.expires_at <= now() THEN 0 ELSE c.total END) + excluded.total <= $3
       RETURNING total`,
      [entry.key, entry.amount, entry.limit, entry.ttlSeconds],
    );
    return rows.length > 0 ? Number(rows[0]!.total) : undefined;
  }

  private async readWith(query: SqlQuery, keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const rows = await query(
      `SELECT key, total FROM ${this.table} WHERE key = ANY($1::text[]) AND expires_at > now()`,
      [keys],
    );
    const totals = new Map(rows.map((row) => [String(row.key), Number(row.total)]));
    return keys.map((key) => totals.get(key) ?? 0);
  }
}

/** SqlTransactions over a `pg` Pool (or anything with the same connect/query/release shape). */
export function pgPoolTransactions(pool: {
  connect(): Promise<{
    query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    release(): void;
  }>;
}): SqlTransactions {
  return async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(async (sql, params) => (await client.query(sql, params)).rows);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}
