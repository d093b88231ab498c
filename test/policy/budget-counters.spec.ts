import {
  budgetCountersTableSql,
  InProcessBudgetCounters,
  PostgresBudgetCounters,
  pgPoolTransactions,
  RedisBudgetCounters,
} from '@personae/policy';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { createTestDatabase } from '../setup/test-database';
import { describeBudgetCountersContract } from './budget-counters.contract';
import { redisServerInstalled, startRedisServer } from './redis-server';

describeBudgetCountersContract('in process', () =>
  Promise.resolve({ counters: new InProcessBudgetCounters(), close: () => Promise.resolve() }),
);

describeBudgetCountersContract('Postgres', async () => {
  const pool = new Pool({ connectionString: await createTestDatabase('budget_counters'), max: 20 });
  await pool.query(budgetCountersTableSql('budget_counters'));
  return {
    counters: new PostgresBudgetCounters(pgPoolTransactions(pool), 'budget_counters'),
    close: () => pool.end(),
  };
});

// The runtime's mode: one-statement work (one key, reads) autocommitted without BEGIN/COMMIT.
describeBudgetCountersContract('Postgres, single statements', async () => {
  const pool = new Pool({ connectionString: await createTestDatabase('budget_counters_single'), max: 20 });
  await pool.query(budgetCountersTableSql('budget_counters'));
  return {
    counters: new PostgresBudgetCounters(
      pgPoolTransactions(pool),
      'budget_counters',
      async (sql, params) => (await pool.query<Record<string, unknown>>(sql, params)).rows,
    ),
    close: () => pool.end(),
  };
});

if (redisServerInstalled()) {
  describeBudgetCountersContract('Redis', async () => {
    const server = await startRedisServer();
    const redis = new Redis(server.url);
    return {
      counters: new RedisBudgetCounters(redis),
      close: async () => {
        redis.disconnect();
        await server.stop();
      },
    };
  });
} else {
  console.log(
    'Redis budget-counters contract suite skipped: no redis-server binary (apt-get install -y redis-server)',
  );
  describe.skip('budget counters contract: Redis', () => {
    it('needs the redis-server binary on the PATH (apt-get install -y redis-server)', () => undefined);
  });
}
