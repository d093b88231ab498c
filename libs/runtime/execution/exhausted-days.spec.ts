import type { ReceiptDecision } from '../domain/compliance-receipt';
import { ExhaustedDays } from './exhausted-days';

describe('ExhaustedDays', () => {
  const denial: ReceiptDecision = {
    step: 'budget',
    effect: 'deny',
    ruleIds: ['budget:persona_day'],
    reasons: ['the daily budget of p.v1 (1 USD) is exhausted: 1 USD spent today'],
  };

  it('repeats a denial for its moment only, and per counter', () => {
    let now = 1_000;
    const days = new ExhaustedDays(1000, () => now);
    expect(days.denial('day:a')).toBeUndefined();
    days.remember('day:a', denial);
    expect(days.denial('day:a')).toBe(denial);
    expect(days.denial('day:b')).toBeUndefined();
    now += 999;
    expect(days.denial('day:a')).toBe(denial);
    now += 1;
    expect(days.denial('day:a')).toBeUndefined(); // the counters are asked again

    days.remember('day:a', denial);
    days.forget('day:a'); // a hold given back
    expect(days.denial('day:a')).toBeUndefined();
  });
});
