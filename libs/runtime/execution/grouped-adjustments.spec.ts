import { InProcessBudgetCounters, type CounterAdjustment } from '@personae/policy';
import { GroupedAdjustments } from './grouped-adjustments';

/** The real in-process counters underneath, each write recorded as it reaches them. */
class RecordedCounters extends InProcessBudgetCounters {
  readonly writes: CounterAdjustment[][] = [];
  failNext = false;
  /** The next write of more than one adjustment fails, as if its connection dropped. */
  failNextGroup = false;

  override async adjust(entries: readonly CounterAdjustment[]): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5)); // a write takes a while
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the counters are unreachable');
    }
    if (this.failNextGroup && entries.length > 1) {
      this.failNextGroup = false;
      throw new Error('the connection dropped');
    }
    if (entries.some((e) => e.key === 'refused')) throw new Error('the store refuses this key');
    this.writes.push([...entries]);
    await super.adjust(entries);
  }
}

describe('GroupedAdjustments', () => {
  const entry = (key: string, amount: number): CounterAdjustment => ({ key, amount, ttlSeconds: 60 });

  it('sends a lone adjustment at once, and those made meanwhile together in one write', async () => {
    const inner = new RecordedCounters();
    const counters = new GroupedAdjustments(inner);
    const settled: number[] = [];
    const all = Array.from({ length: 20 }, (_, i) =>
      counters.adjust([entry(i % 2 ? 'a' : 'b', i + 1)]).then(async () => {
        // Returned only once its own amount is written.
        settled.push(i);
        expect(inner.writes.flat().some((e) => e.amount === i + 1)).toBe(true);
      }),
    );
    await Promise.all(all);
    expect(inner.writes.map((w) => w.length)).toEqual([1, 19]);
    expect(settled).toHaveLength(20);
    // 2+4+…+20 = 110 on a, 1+3+…+19 = 100 on b.
    expect(await counters.read(['a', 'b'])).toEqual([110, 100]);
  });

  it('fails the callers of a failed write only; the next write goes out', async () => {
    const inner = new RecordedCounters();
    const counters = new GroupedAdjustments(inner);
    inner.failNext = true;
    const first = counters.adjust([entry('a', 1)]);
    const grouped = [counters.adjust([entry('a', 2)]), counters.adjust([entry('a', 3)])];
    await expect(first).rejects.toThrow('unreachable');
    await Promise.all(grouped);
    expect(await counters.read(['a'])).toEqual([5]);
  });

  it('writes a failed group again caller by caller: only a bad adjustment fails, and only its caller', async () => {
    const inner = new RecordedCounters();
    const counters = new GroupedAdjustments(inner);
    inner.failNextGroup = true;
    const lone = counters.adjust([entry('a', 1)]);
    // Made while the lone one is written: they go out together, fail, and are written one by one.
    const group = [counters.adjust([entry('a', 2)]), counters.adjust([entry('b', 3)])];
    await lone;
    await Promise.all(group);
    expect(inner.writes.map((w) => w.length)).toEqual([1, 1, 1]);
    // A group with an adjustment the store refuses: the others still land.
    const first = counters.adjust([entry('a', 10)]);
    const withBad = [counters.adjust([entry('a', 4)]), counters.adjust([entry('refused', 5)])];
    await first;
    await expect(withBad[0]).resolves.toBeUndefined();
    await expect(withBad[1]).rejects.toThrow('refuses this key');
    expect(await counters.read(['a', 'b', 'refused'])).toEqual([17, 3, 0]);
  });

  it('passes reservations straight through, and adjusts nothing for no entries', async () => {
    const inner = new RecordedCounters();
    const counters = new GroupedAdjustments(inner);
    expect(await counters.reserve([{ key: 'a', amount: 7, limit: 10, ttlSeconds: 60 }])).toEqual({
      ok: true,
      totals: [7],
    });
    await counters.adjust([]);
    expect(inner.writes).toEqual([]);
  });
});
