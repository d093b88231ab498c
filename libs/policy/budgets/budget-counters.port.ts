/**
 * Spend counters, in integer micro-USD (1 USD = 1,000,000): integers add exactly in every store, so
 * "exactly at the limit" means the same thing in Redis, Postgres and in process.
 */
export interface CounterReservation {
  key: string;
  amount: number;
  limit: number;
  /** Expiry set when the counter is created (a day's counter outlives its day by a margin). */
  ttlSeconds: number;
}

export type ReserveOutcome =
  | { ok: true; totals: number[] }
  /** `index` is the first entry whose limit would be exceeded; `total` its counter before the request. */
  | { ok: false; index: number; total: number };

export interface CounterAdjustment {
  key: string;
  amount: number;
  ttlSeconds: number;
}

/** The port every adapter implements and the shared contract suite checks. */
export interface BudgetCounters {
  /**
   * Atomically: when every counter plus its amount stays within its limit, add every amount; otherwise
   * add none. Concurrent calls never let a counter pass its limit.
   */
  reserve(entries: readonly CounterReservation[]): Promise<ReserveOutcome>;
  /** Adds amounts (negative to release) with no limit: settling the actual cost after the call. */
  adjust(entries: readonly CounterAdjustment[]): Promise<void>;
  /** Current totals (0 for absent or expired counters). */
  read(keys: readonly string[]): Promise<number[]>;
}

export const MICROS_PER_USD = 1_000_000;

export function toMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}

export function fromMicros(micros: number): number {
  return micros / MICROS_PER_USD;
}
