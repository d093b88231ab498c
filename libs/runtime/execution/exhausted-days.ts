import { BoundedMap } from '@personae/service-kit';
import type { ReceiptDecision } from '../domain/compliance-receipt';

/**
 * Daily budgets this process found exhausted, each remembered for a moment with its denial, so the
 * requests right after it are denied before any work (knowledge search, prompt) without asking the
 * counters. A settlement here that gives a hold back forgets it at once; one on another replica is
 * seen after `forMs`, when the counters are asked again.
 */
export class ExhaustedDays {
  private readonly days = new BoundedMap<string, { denial: ReceiptDecision; until: number }>(10_000);

  constructor(
    private readonly forMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  remember(counterKey: string, denial: ReceiptDecision): void {
    this.days.set(counterKey, { denial, until: this.now() + this.forMs });
  }

  /** Holds on it were given back: it may not be exhausted any more. */
  forget(counterKey: string): void {
    this.days.delete(counterKey);
  }

  /** The denial, while it is fresh. */
  denial(counterKey: string): ReceiptDecision | undefined {
    const day = this.days.get(counterKey);
    if (!day) return undefined;
    if (day.until > this.now()) return day.denial;
    this.days.delete(counterKey);
    return undefined;
  }
}
