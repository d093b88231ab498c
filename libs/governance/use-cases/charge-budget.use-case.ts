import { BadRequestException, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { chargeBudget, toMicros, type BudgetReservation } from '@personae/policy';
import { BudgetStore } from '../adapters/budget-store';

/**
 * Settles a reservation from /decide with the call's actual cost. The reservation comes back from the
 * caller, so it is checked: only this tenant's counters, and the amount that was reserved.
 */
@Injectable()
export class ChargeBudget {
  constructor(private readonly budgets: BudgetStore) {}

  async execute(
    principal: Principal,
    reservation: BudgetReservation,
    actualCost: number,
  ): Promise<{ charged: number }> {
    const prefix = `budget:{${principal.tenantId}}:`;
    const reserved = toMicros(reservation.reserved);
    reservation.entries.forEach((entry, i) => {
      if (!entry.key.startsWith(prefix) || entry.amount !== reserved || entry.ttlSeconds <= 0)
        throw new BadRequestException({
          message: 'the reservation was not issued to this tenant as sent',
          errors: [
            { field: `/reservation/entries/${i}`, reason: 'does not match a reservation of this tenant' },
          ],
        });
    });
    await chargeBudget(this.budgets.counters, reservation, actualCost);
    return { charged: actualCost };
  }
}
