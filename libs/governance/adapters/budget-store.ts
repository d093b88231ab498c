import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { InjectDataSource } from '@personae/persistence';
import {
  DEFAULT_MODEL_PRICES,
  PostgresBudgetCounters,
  RedisBudgetCounters,
  type BudgetCounters,
  type ModelPriceTable,
} from '@personae/policy';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { BUDGET_COUNTERS_TABLE, GOVERNANCE_SCHEMA } from '../store/governance-tables';

/**
 * The budget counters of this process: Redis when REDIS_URL is set (shared by every replica, keys
 * expire), the governance schema otherwise. Also the model price table (defaults, overridden per model
 * by GOVERNANCE_MODEL_PRICES).
 */
@Injectable()
export class BudgetStore implements OnApplicationShutdown {
  readonly counters: BudgetCounters;
  readonly prices: ModelPriceTable;
  readonly backend: 'redis' | 'postgres';
  private readonly redis?: Redis;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource(GOVERNANCE_SCHEMA) dataSource: DataSource,
  ) {
    this.prices = { ...DEFAULT_MODEL_PRICES, ...config.governance.modelPrices };
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
      this.counters = new RedisBudgetCounters(this.redis);
      this.backend = 'redis';
    } else {
      this.counters = new PostgresBudgetCounters(
        (work) =>
          dataSource.transaction((manager) =>
            work((sql, params) => manager.query<Record<string, unknown>[]>(sql, params)),
          ),
        BUDGET_COUNTERS_TABLE,
      );
      this.backend = 'postgres';
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
