import type {
  BudgetCounters,
  CounterAdjustment,
  CounterReservation,
  ReserveOutcome,
} from './budget-counters.port';

/**
 * Counters in this process' memory: the embedded default for one process (a second replica would have
 * its own counters; set REDIS_URL or use Postgres to share them). Atomic because each call runs to
 * completion on the event loop without awaiting.
 */
export class InProcessBudgetCounters implements BudgetCounters {
  private readonly counters = new Map<string, { total: number; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  reserve(entries: readonly CounterReservation[]): Promise<ReserveOutcome> {
    const totals = entries.map((entry) => this.current(entry.key));
    const index = entries.findIndex((entry, i) => totals[i]! + entry.amount > entry.limit);
    if (index !== -1) return Promise.resolve({ ok: false, index, total: totals[index]! });
    return Promise.resolve({ ok: true, totals: entries.map((entry) => this.add(entry)) });
  }

  adjust(entries: readonly CounterAdjustment[]): Promise<void> {
    for (const entry of entries) this.add(entry);
    return Promise.resolve();
  }

  read(keys: readonly string[]): Promise<number[]> {
    return Promise.resolve(keys.map((key) => this.current(key)));
  }

  private current(key: string): number {
    const counter = this.counters.get(key);
    if (!counter || counter.expiresAt <= this.now()) return 0;
    return counter.total;
  }

  private add(entry: { key: string; amount: number; ttlSeconds: number }): number {
    const now = this.now();
    const counter = this.counters.get(entry.key);
    if (!counter || counter.expiresAt <= now) {
      this.counters.set(entry.key, { total: entry.amount, expiresAt: now + entry.ttlSeconds * 1000 });
      return entry.amount;
    }
    counter.total += entry.amount;
    return counter.total;
  }
}
