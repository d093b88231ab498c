import {
  fromMicros,
  toMicros,
  type BudgetCounters,
  type CounterAdjustment,
  type CounterReservation,
} from './budget-counters.port';

/** Limits in USD; an absent limit is not checked. */
export interface BudgetLimits {
  maxCostPerRequest?: number;
  /** Per runtime instance / session. */
  maxCostPerSession?: number;
  maxCostPerPersonaPerDay?: number;
  maxCostPerTenantPerDay?: number;
}

export type BudgetScope = 'request' | 'session' | 'persona_day' | 'tenant_day';

export interface BudgetSubject {
  tenant: string;
  persona: string;
  sessionId?: string;
}

export interface BudgetReservation {
  entries: CounterAdjustment[];
  /** USD reserved on each counter. */
  reserved: number;
}

export type BudgetCheck =
  | { ok: true; reservation: BudgetReservation }
  | {
      ok: false;
      scope: BudgetScope;
      /** USD: the limit, what was spent before this request, and what this request asked for. */
      limit: number;
      spent: number;
      requested: number;
      reason: string;
    };

const DAY_TTL_SECONDS = 2 * 24 * 3600;
const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/** Counter keys share the `{tenant}` hash tag, so one tenant's counters sit in one Redis Cluster slot. */
export function budgetKey(subject: BudgetSubject, scope: Exclude<BudgetScope, 'request'>, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  switch (scope) {
    case 'tenant_day':
      return `budget:{${subject.tenant}}:tenant:${day}`;
    case 'persona_day':
      return `budget:{${subject.tenant}}:persona:${subject.persona}:${day}`;
    case 'session':
      return `budget:{${subject.tenant}}:session:${subject.sessionId ?? '-'}`;
  }
}

/**
 * Pre-check: reserves the request's maximum cost (from max_tokens and the model's price) on every
 * counter with a limit, all or none, atomically. Denied with the limit and the amounts when any would
 * pass its limit. Settle afterwards with `chargeBudget`.
 */
export async function checkBudget(
  counters: BudgetCounters,
  input: { subject: BudgetSubject; limits: BudgetLimits; estimatedCost: number; now?: Date },
): Promise<BudgetCheck> {
  const { subject, limits, estimatedCost } = input;
  const now = input.now ?? new Date();
  if (limits.maxCostPerRequest !== undefined && toMicros(estimatedCost) > toMicros(limits.maxCostPerRequest))
    return refusal('request', limits.maxCostPerRequest, 0, estimatedCost);
  const scoped: [Exclude<BudgetScope, 'request'>, number | undefined, number][] = [
    ['session', subject.sessionId === undefined ? undefined : limits.maxCostPerSession, SESSION_TTL_SECONDS],
    ['persona_day', limits.maxCostPerPersonaPerDay, DAY_TTL_SECONDS],
    ['tenant_day', limits.maxCostPerTenantPerDay, DAY_TTL_SECONDS],
  ];
  const amount = toMicros(estimatedCost);
  const scopes: BudgetScope[] = [];
  const entries: CounterReservation[] = [];
  for (const [scope, limit, ttlSeconds] of scoped) {
    if (limit === undefined) continue;
    scopes.push(scope);
    entries.push({ key: budgetKey(subject, scope, now), amount, limit: toMicros(limit), ttlSeconds });
  }
  const outcome = await counters.reserve(entries);
  if (!outcome.ok) {
    const entry = entries[outcome.index]!;
    return refusal(scopes[outcome.index]!, fromMicros(entry.limit), fromMicros(outcome.total), estimatedCost);
  }
  return {
    ok: true,
    reservation: {
      entries: entries.map(({ key, ttlSeconds }) => ({ key, amount, ttlSeconds })),
      reserved: fromMicros(amount),
    },
  };
}

/**
 * Settles a reservation with the actual cost: each counter moves by (actual − reserved). An actual cost
 * above the reservation is still recorded (it was spent), it only cannot have been prevented.
 */
export async function chargeBudget(
  counters: BudgetCounters,
  reservation: BudgetReservation,
  actualCost: number,
): Promise<void> {
  const delta = toMicros(actualCost) - toMicros(reservation.reserved);
  if (delta === 0) return;
  await counters.adjust(reservation.entries.map((entry) => ({ ...entry, amount: delta })));
}

function refusal(scope: BudgetScope, limit: number, spent: number, requested: number): BudgetCheck {
  const what: Record<BudgetScope, string> = {
    request: 'the per-request limit',
    session: 'the session budget',
    persona_day: "the persona's daily budget",
    tenant_day: "the tenant's daily budget",
  };
  return {
    ok: false,
    scope,
    limit,
    spent,
    requested,
    reason: `${what[scope]} of ${limit} USD would be exceeded: ${spent} USD spent, ${requested} USD requested`,
  };
}
