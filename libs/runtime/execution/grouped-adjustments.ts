import { Coalescer } from '@personae/messaging';
import type { BudgetCounters, CounterAdjustment, CounterReservation, ReserveOutcome } from '@personae/policy';

/** Adjustments folded into one write at most; a bigger backlog goes out in several. */
const MAX_ADJUSTMENTS_PER_WRITE = 256;

/**
 * Budget counters whose adjustments (the settlements after each model call) are grouped: those made
 * while one is being written wait for it, then go out together in one write (the adapters sum the same
 * key). A lone settlement goes out at once. Every caller still returns only once its own adjustment is
 * committed, so an execution's record commits after its settlement, as before. Reservations and reads
 * pass straight through: they answer a question each.
 */
export class GroupedAdjustments implements BudgetCounters {
  private readonly adjustments: Coalescer<readonly CounterAdjustment[], void>;

  constructor(private readonly counters: BudgetCounters) {
    this.adjustments = new Coalescer<readonly CounterAdjustment[], void>(
      async (groups) => {
        await this.counters.adjust(groups.flat());
        return groups.map(() => undefined);
      },
      MAX_ADJUSTMENTS_PER_WRITE,
      (group) => group.length,
    );
  }

  reserve(entries: readonly CounterReservation[]): Promise<ReserveOutcome> {
    return this.counters.reserve(entries);
  }

  adjust(entries: readonly CounterAdjustment[]): Promise<void> {
    return entries.length === 0 ? Promise.resolve() : this.adjustments.submit(entries);
  }

  read(keys: readonly string[]): Promise<number[]> {
    return this.counters.read(keys);
  }
}
