import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { InjectDataSource, PreparedQueries } from '@personae/persistence';
import {
  budgetKey,
  chargeBudget,
  checkBudget,
  pgPoolTransactions,
  PostgresBudgetCounters,
  RedisBudgetCounters,
  type BudgetCheck,
  type BudgetCounters,
  type BudgetLimits,
  type BudgetReservation,
  type BudgetSubject,
  toMicros,
} from '@personae/policy';
import type { ReceiptDecision } from '../domain/compliance-receipt';
import { affordableOutputTokens, costOf, type ModelPrice } from '../domain/price-table';
import type { VerifiedPersona } from '../personas/verified-persona';
import { RUNTIME_SCHEMA } from '../store/runtime-schema';
import { ExhaustedDays } from './exhausted-days';
import { GroupedAdjustments } from './grouped-adjustments';

/** Settlements and reservations give up after this long (the pool's statement_timeout). */
const BUDGET_STATEMENT_TIMEOUT_MS = 5000;
/** The least a reservation holds: an exhausted day then refuses a free model too. */
const MIN_RESERVATION_USD = 0.000001;
/** How long a day found exhausted is denied without asking the counters again. */
const EXHAUSTED_MEMO_MS = 1000;

export type AnswerBudget =
  | { ok: true; maxTokens: number; reservation: BudgetReservation; decision: ReceiptDecision }
  | { ok: false; decision: ReceiptDecision };

export interface BudgetContext {
  persona: VerifiedPersona;
  tenantId: string;
  sessionId: string | null;
}

/**
 * The pack's budget (maxCostPerRequest, maxCostPerDay for the persona) on `@personae/policy`'s
 * counters: Redis when REDIS_URL is set, else Postgres (runtime.budget_counters), so every replica
 * shares them. Before the call: an atomic reservation of the most the call can cost (what is left caps
 * max_tokens); after it: settled to the actual cost.
 *
 * In Postgres the counters have a small pool of their own whose commits do not wait for the WAL flush
 * (`synchronous_commit=off` on these connections only). A reservation or settlement is a hold on the
 * budget, never something the API acknowledges; every execution that reserved ends in its recorded
 * execution, a synchronous commit after them, and WAL is flushed in order: when the execution is
 * acknowledged its budget moves are durable too. A crash before that loses at most holds of requests
 * nobody was answered for. Visibility and atomicity are a commit's as ever: no overspend. One key (the
 * persona's day) is one statement each: reserve, settle — no BEGIN/COMMIT; the settlements of
 * concurrent executions share one (GroupedAdjustments).
 *
 * A day found exhausted is remembered for a second (`knownExhausted`), so the requests right after are
 * denied before any work (knowledge search, prompt) without asking the counters again; a settlement
 * here that gives a hold back forgets it at once.
 */
@Injectable()
export class BudgetStep implements OnApplicationShutdown {
  private readonly counters: BudgetCounters;
  private readonly exhausted = new ExhaustedDays(EXHAUSTED_MEMO_MS);
  private readonly redis?: Redis;
  private readonly pool?: Pool;

  constructor(
    @InjectDataSource(RUNTIME_SCHEMA) dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
      // Not grouped: one write would mix tenants' keys, which sit in different Redis Cluster slots.
      this.counters = new RedisBudgetCounters(this.redis);
    } else {
      const url = (dataSource.options as { url?: string }).url ?? config.databaseUrl;
      this.pool = new Pool({
        connectionString: url,
        max: Math.max(2, Math.min(8, config.dbPoolSize)),
        application_name: 'personae:runtime-budget',
        // A hung write must not hold every settlement of the process (GroupedAdjustments) for long.
        options: `-c synchronous_commit=off -c statement_timeout=${BUDGET_STATEMENT_TIMEOUT_MS}`,
      });
      const pool = this.pool;
      // An idle connection that dies (a database restart) is replaced at the next query, not fatal.
      pool.on('error', () => undefined);
      // The adapter's few statements, each prepared once per connection.
      const prepared = new PreparedQueries(pool, 'runtime_budget');
      this.counters = new GroupedAdjustments(
        new PostgresBudgetCounters(pgPoolTransactions(pool), 'runtime.budget_counters', (text, values) =>
          prepared.rows<Record<string, unknown>>(text, values),
        ),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }

  /**
   * Before any work: the denial of this persona's daily budget if this process found it exhausted less
   * than a second ago and has given no hold on it back since (`ExhaustedDays`).
   */
  knownExhausted(context: BudgetContext): ReceiptDecision | undefined {
    if (limitsOf(context.persona).maxCostPerPersonaPerDay === undefined) return undefined;
    return this.exhausted.denial(dayKeyOf(context));
  }

  /**
   * The budget of one answer: reserves what the prompt and `wanted` output tokens cost (at least one
   * micro-dollar, so an exhausted day refuses even a free model), on every limited counter at once —
   * one statement when the budget allows the whole answer, the common case. A counter that cannot pay
   * for all of it says what it has left (its refusal), which then buys fewer tokens: max_tokens is capped
   * and that much reserved (more statements, near the limit only). Denied when nothing is left or not
   * one output token is affordable, and after three reservations lost to concurrent ones.
   */
  async reserveAnswer(
    context: BudgetContext,
    answer: { price: ModelPrice; model: string; promptTokens: number; wanted: number },
  ): Promise<AnswerBudget> {
    const limits = limitsOf(context.persona);
    const { price, promptTokens } = answer;
    let left = limits.maxCostPerRequest ?? Number.POSITIVE_INFINITY;
    let maxTokens = answer.wanted;
    let refused: Extract<BudgetCheck, { ok: false }> | undefined;
    for (let attempt = 0; attempt < 3 && left > 0; attempt++) {
      maxTokens = Math.min(maxTokens, affordableOutputTokens(price, left, promptTokens));
      if (maxTokens < 1) break;
      const estimatedCost = Math.max(costOf(price, promptTokens, maxTokens), MIN_RESERVATION_USD);
      const check = await checkBudget(this.counters, { subject: subjectOf(context), limits, estimatedCost });
      if (check.ok) {
        const reasons =
          Number.isFinite(left) || limits.maxCostPerPersonaPerDay !== undefined
            ? [`${check.reservation.reserved} USD reserved for up to ${maxTokens} output tokens`]
            : ['no budget limit'];
        return { ok: true, maxTokens, reservation: check.reservation, decision: allow(reasons) };
      }
      refused = check;
      left = Math.min(left, check.limit - check.spent);
    }
    if (refused?.scope === 'persona_day' && left <= 0) {
      const exhausted = denial(
        'budget:persona_day',
        `the daily budget of ${context.persona.ref} (${refused.limit} USD) is exhausted: ${refused.spent} USD spent today`,
      );
      this.exhausted.remember(dayKeyOf(context), exhausted);
      return { ok: false, decision: exhausted };
    }
    // Nothing reserved and nothing refused: a per-request limit that pays for nothing (e.g. 0 USD).
    if (maxTokens < 1 || refused === undefined) {
      const what = refused ? 'the remaining budget' : 'the per-request limit';
      return {
        ok: false,
        decision: denial(
          refused ? `budget:${refused.scope}` : 'budget:request',
          `${what} (${usd(Math.max(0, left))} USD) cannot pay for an answer from ${answer.model}`,
        ),
      };
    }
    return { ok: false, decision: denial(`budget:${refused.scope}`, refused.reason) };
  }

  /** Settles a hold to the actual cost; giving part of it back may end a day's exhaustion. */
  settle(reservation: BudgetReservation, actualCost: number): Promise<void> {
    if (toMicros(actualCost) < toMicros(reservation.reserved))
      for (const entry of reservation.entries) this.exhausted.forget(entry.key);
    return chargeBudget(this.counters, reservation, actualCost);
  }
}

/** To the micro-dollar the counters keep: 0.19, not 0.18999999999999997. */
function usd(amount: number): number {
  return Math.round(amount * 1_000_000) / 1_000_000;
}

function allow(reasons: string[]): ReceiptDecision {
  return { step: 'budget', effect: 'allow', ruleIds: [], reasons };
}

function denial(ruleId: string, reason: string): ReceiptDecision {
  return { step: 'budget', effect: 'deny', ruleIds: [ruleId], reasons: [reason] };
}

function dayKeyOf(context: BudgetContext): string {
  return budgetKey(subjectOf(context), 'persona_day', new Date());
}

function limitsOf(persona: VerifiedPersona): BudgetLimits {
  const budget = persona.pack.spec.models.budget;
  return {
    ...(budget.maxCostPerRequest !== undefined ? { maxCostPerRequest: budget.maxCostPerRequest } : {}),
    ...(budget.maxCostPerDay !== undefined ? { maxCostPerPersonaPerDay: budget.maxCostPerDay } : {}),
  };
}

function subjectOf(context: BudgetContext): BudgetSubject {
  return {
    tenant: context.tenantId,
    persona: context.persona.name,
    ...(context.sessionId ? { sessionId: context.sessionId } : {}),
  };
}
