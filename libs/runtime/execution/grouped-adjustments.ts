import { Coalescer } from '@personae/messaging';
import type { BudgetCounters, CounterAdjustment, CounterReservation, ReserveOutcome } from '@personae/policy';

/** Adjustments folded into one write at most; a bigger backlog goes out in several. */
const MAX_ADJUSTMENTS_PER_WRITE = 256;

type Written = { ok: true } | { ok: false; error: unknown };

/**
 * Budget counters whose adjustments (the settlements after each model call) are grouped: those made
 * while one is being written wait for it, then go out together in one write (the adapters sum the same
 * key). A lone settlement goes out at once. Every caller still returns only once its own adjustment is
 * committed, so an execution's record commits after its settlement, as before. A group whose write
 * fails is written again caller by caller, so one bad adjustment fails only its own caller.
 * Reservations and reads pass straight through: they answer a question each.
 *
 * For one-slot stores only: a group mixes tenants' keys, which a Redis Cluster keeps in different slots.
 */
export class GroupedAdjustments implements BudgetCounters {
  private readonly adjustments: Coalescer<readonly CounterAdjustment[], Written>;

  constructor(private readonly counters: BudgetCounters) {
    this.adjustments = new Coalescer<readonly CounterAdjustment[], Written>(
      (groups) => this.write(groups),
      MAX_ADJUSTMENTS_PER_WRITE,
      (group) => group.length,
    );
  }

  reserve(entries: readonly CounterReservation[]): Promise<ReserveOutcome> {
    return this.counters.reserve(entries);
  }

  async adjust(entries: readonly CounterAdjustment[]): Promise<void> {
    if (entries.length === 0) return;
    const written = await this.adjustments.submit(entries);
    if (!written.ok) throw written.error;
  }

  read(keys: readonly string[]): Promise<number[]> {
    return this.counters.read(keys);
  }

  private async write(groups: (readonly CounterAdjustment[])[]): Promise<Written[]> {
    const one = (group: readonly CounterAdjustment[]): Promise<Written> =>
      this.counters.adjust(group).then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, error }),
      );
    if (groups.length === 1) return [await one(groups[0]!)];
    const together = await one(groups.flat());
    return together.ok ? groups.map(() => together) : Promise.all(groups.map(one));
  }
}
