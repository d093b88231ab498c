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
  fromMicros,
  pgPoolTransactions,
  PostgresBudgetCounters,
  RedisBudgetCounters,
  type BudgetCounters,
  type BudgetLimits,
  type BudgetReservation,
  type BudgetSubject,
} from '@personae/policy';
import type { ReceiptDecision } from '../domain/compliance-receipt';
import type { VerifiedPersona } from '../personas/verified-persona';
import { RUNTIME_SCHEMA } from '../store/runtime-schema';

export interface BudgetContext {
  persona: VerifiedPersona;
  tenantId: string;
  sessionId: string | null;
}

/**
 * The pack's budget (maxCostPerRequest, maxCostPerDay for the persona) on `@personae/policy`'s
 * counters: Redis when REDIS_URL is set, else Postgres (runtime.budget_counters), so every replica
 * shares them. Before the call: what is left (it caps max_tokens) and an atomic reservation of the
 * most the call can cost; after it: settled to the actual cost.
 *
 * In Postgres the counters have a small pool of their own whose commits do not wait for the WAL flush
 * (`synchronous_commit=off` on these connections only). A reservation or settlement is a hold on the
 * budget, never something the API acknowledges; every execution that reserved ends in its recorded
 * execution, a synchronous commit after them, and WAL is flushed in order: when the execution is
 * acknowledged its budget moves are durable too. A crash before that loses at most holds of requests
 * nobody was answered for. Visibility and atomicity are a commit's as ever: no overspend. One key (the
 * persona's day) is one statement each: read, reserve, settle — no BEGIN/COMMIT.
 */
@Injectable()
export class BudgetStep implements OnApplicationShutdown {
  private readonly counters: BudgetCounters;
  private readonly redis?: Redis;
  private readonly pool?: Pool;

  constructor(
    @InjectDataSource(RUNTIME_SCHEMA) dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
      this.counters = new RedisBudgetCounters(this.redis);
    } else {
      const url = (dataSource.options as { url?: string }).url ?? config.databaseUrl;
      this.pool = new Pool({
        connectionString: url,
        max: Math.max(2, Math.min(8, config.dbPoolSize)),
        application_name: 'personae:runtime-budget',
        options: '-c synchronous_commit=off',
      });
      const pool = this.pool;
      // An idle connection that dies (a database restart) is replaced at the next query, not fatal.
      pool.on('error', () => undefined);
      // The adapter's few statements, each prepared once per connection.
      const prepared = new PreparedQueries(pool, 'runtime_budget');
      this.counters = new PostgresBudgetCounters(
        pgPoolTransactions(pool),
        'runtime.budget_counters',
        (text, values) => prepared.rows<Record<string, unknown>>(text, values),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }

  /** USD the next request may still spend (Infinity without limits); a deny decision when nothing is left. */
  async remaining(context: BudgetContext): Promise<{ remaining: number; decision: ReceiptDecision }> {
    const limits = limitsOf(context.persona);
    let remaining = limits.maxCostPerRequest ?? Number.POSITIVE_INFINITY;
    let spent = 0;
    if (limits.maxCostPerPersonaPerDay !== undefined) {
      const [micros] = await this.counters.read([budgetKey(subjectOf(context), 'persona_day', new Date())]);
      spent = fromMicros(micros ?? 0);
      remaining = Math.min(remaining, limits.maxCostPerPersonaPerDay - spent);
    }
    if (remaining <= 0)
      return {
        remaining: 0,
        decision: {
          step: 'budget',
          effect: 'deny',
          ruleIds: ['budget:persona_day'],
          reasons: [
            `the daily budget of ${context.persona.ref} (${limits.maxCostPerPersonaPerDay} USD) is exhausted: ${spent} USD spent today`,
          ],
        },
      };
    return {
      remaining,
      decision: {
        step: 'budget',
        effect: 'allow',
        ruleIds: [],
        reasons: [Number.isFinite(remaining) ? `${remaining} USD left` : 'no budget limit'],
      },
    };
  }

  /** Reserves the most this call can cost, atomically on every limited counter. */
  async reserve(
    context: BudgetContext,
    estimatedCost: number,
  ): Promise<{ ok: true; reservation: BudgetReservation } | { ok: false; decision: ReceiptDecision }> {
    const check = await checkBudget(this.counters, {
      subject: subjectOf(context),
      limits: limitsOf(context.persona),
      estimatedCost,
    });
    if (check.ok) return { ok: true, reservation: check.reservation };
    return {
      ok: false,
      decision: {
        step: 'budget',
        effect: 'deny',
        ruleIds: [`budget:${check.scope}`],
        reasons: [check.reason],
      },
    };
  }

  settle(reservation: BudgetReservation, actualCost: number): Promise<void> {
    return chargeBudget(this.counters, reservation, actualCost);
  }
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
