import {
  checkBudget,
  chargeBudget,
  toMicros,
  type BudgetCounters,
  type BudgetLimits,
} from '@personae/policy';
import { randomUUID } from 'node:crypto';

/** The contract every BudgetCounters adapter passes: atomic all-or-nothing reservations, exact limits. */
export function describeBudgetCountersContract(
  name: string,
  open: () => Promise<{ counters: BudgetCounters; close: () => Promise<void> }>,
): void {
  describe(`budget counters contract: ${name}`, () => {
    let counters: BudgetCounters;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ counters, close } = await open());
    });
    afterAll(async () => {
      await close();
    });
    const key = () => `budget:{t-${randomUUID()}}:test`;

    it('adds within the limit and refuses past it, leaving the counter unchanged', async () => {
      const k = key();
      expect(await counters.reserve([{ key: k, amount: 600, limit: 1000, ttlSeconds: 60 }])).toEqual({
        ok: true,
        totals: [600],
      });
      expect(await counters.reserve([{ key: k, amount: 401, limit: 1000, ttlSeconds: 60 }])).toEqual({
        ok: false,
        index: 0,
        total: 600,
      });
      expect(await counters.reserve([{ key: k, amount: 400, limit: 1000, ttlSeconds: 60 }])).toEqual({
        ok: true,
        totals: [1000],
      });
      expect(await counters.read([k, key()])).toEqual([1000, 0]);
    });

    it('reserves several counters all or none', async () => {
      const [a, b] = [key(), key()];
      await counters.reserve([{ key: b, amount: 900, limit: 1000, ttlSeconds: 60 }]);
      const outcome = await counters.reserve([
        { key: a, amount: 200, limit: 1000, ttlSeconds: 60 },
        { key: b, amount: 200, limit: 1000, ttlSeconds: 60 },
      ]);
      expect(outcome).toEqual({ ok: false, index: 1, total: 900 });
      expect(await counters.read([a, b])).toEqual([0, 900]);
    });

    it('adjusts without a limit, in both directions', async () => {
      const k = key();
      await counters.reserve([{ key: k, amount: 500, limit: 1000, ttlSeconds: 60 }]);
      await counters.adjust([{ key: k, amount: -300, ttlSeconds: 60 }]);
      expect(await counters.read([k])).toEqual([200]);
      await counters.adjust([{ key: k, amount: 5000, ttlSeconds: 60 }]);
      expect(await counters.read([k])).toEqual([5200]);
    });

    it('adjusts several counters at once, the same key twice summed', async () => {
      const [a, b, fresh] = [key(), key(), key()];
      await counters.reserve([{ key: a, amount: 500, limit: 1000, ttlSeconds: 60 }]);
      await counters.reserve([{ key: b, amount: 100, limit: 1000, ttlSeconds: 60 }]);
      await counters.adjust([
        { key: b, amount: 7, ttlSeconds: 60 },
        { key: a, amount: -200, ttlSeconds: 60 },
        { key: fresh, amount: 3, ttlSeconds: 60 },
        { key: b, amount: -50, ttlSeconds: 60 },
      ]);
      expect(await counters.read([a, b, fresh])).toEqual([300, 57, 3]);
    });

    it('50 parallel requests stop exactly at the limit: no overspend', async () => {
      const subject = { tenant: `t-${randomUUID()}`, persona: 'p', sessionId: randomUUID() };
      const limits: BudgetLimits = {
        maxCostPerTenantPerDay: 1,
        maxCostPerPersonaPerDay: 2,
        maxCostPerSession: 5,
      };
      const now = new Date();
      // 50 × 0.03 USD against a 1 USD day: exactly 33 fit (0.99), the 34th would make 1.02.
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          checkBudget(counters, { subject, limits, estimatedCost: 0.03, now }),
        ),
      );
      const granted = results.filter((r) => r.ok);
      expect(granted).toHaveLength(33);
      const denied = results.find((r) => !r.ok);
      expect(denied).toMatchObject({ ok: false, scope: 'tenant_day', limit: 1, requested: 0.03 });
      // Settling each at its actual cost (0.01 less) frees room for exactly what is left.
      for (const result of granted) if (result.ok) await chargeBudget(counters, result.reservation, 0.02);
      const tenantKey = `budget:{${subject.tenant}}:tenant:${now.toISOString().slice(0, 10)}`;
      expect(await counters.read([tenantKey])).toEqual([toMicros(0.66)]);
      // Exactly at the limit is allowed: 0.34 brings the day to 1.00 USD; one micro-dollar more is not.
      const refused = await checkBudget(counters, { subject, limits, estimatedCost: 0.340001, now });
      expect(refused).toMatchObject({ ok: false, scope: 'tenant_day', limit: 1, spent: 0.66 });
      expect((await checkBudget(counters, { subject, limits, estimatedCost: 0.34, now })).ok).toBe(true);
      expect(await counters.read([tenantKey])).toEqual([toMicros(1)]);
    });

    it('50 parallel reservations of one counter stop exactly at its limit, and report what was spent', async () => {
      const k = key();
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, () =>
          counters.reserve([{ key: k, amount: 30, limit: 1000, ttlSeconds: 60 }]),
        ),
      );
      expect(outcomes.filter((o) => o.ok)).toHaveLength(33);
      for (const outcome of outcomes) if (!outcome.ok) expect(outcome.total).toBeGreaterThan(1000 - 30);
      expect(await counters.read([k])).toEqual([990]);
      // One amount larger than the limit alone is refused without a write.
      expect(await counters.reserve([{ key: k, amount: 1001, limit: 1000, ttlSeconds: 60 }])).toEqual({
        ok: false,
        index: 0,
        total: 990,
      });
    });

    it('denies a request above maxCostPerRequest before touching any counter', async () => {
      const subject = { tenant: `t-${randomUUID()}`, persona: 'p' };
      const result = await checkBudget(counters, {
        subject,
        limits: { maxCostPerRequest: 0.05, maxCostPerTenantPerDay: 10 },
        estimatedCost: 0.06,
      });
      expect(result).toMatchObject({ ok: false, scope: 'request', limit: 0.05, requested: 0.06 });
    });
  });
}
