import { downgradeProblem } from '@personae/trust';
import { channelHistoryOf, planPromotion, planRollback, type ChannelFacts } from './channels';

const prod = (current: number | undefined, served: number[] = current ? [current] : []): ChannelFacts => ({
  channel: 'prod',
  current,
  served,
});

describe('promotion', () => {
  it('fills an empty channel and moves a channel forward', () => {
    expect(planPromotion(prod(undefined), { version: 1, state: 'sealed' })).toEqual({ ok: true, value: {} });
    expect(planPromotion(prod(1), { version: 3, state: 'sealed' })).toEqual({
      ok: true,
      value: { previous: 1 },
    });
  });

  it('never moves a channel back, nor to what it serves, nor to a retired version', () => {
    expect(planPromotion(prod(2, [1, 2]), { version: 1, state: 'sealed' })).toMatchObject({
      ok: false,
      reason: /roll back instead/,
    });
    expect(planPromotion(prod(2), { version: 2, state: 'sealed' })).toMatchObject({
      ok: false,
      reason: /already serves v2/,
    });
    expect(planPromotion(prod(1), { version: 2, state: 'revoked' })).toMatchObject({ ok: false });
    expect(planPromotion(prod(1), { version: 2, state: 'deprecated' })).toMatchObject({ ok: false });
  });
});

describe('rollback', () => {
  it('returns to an earlier version the channel served', () => {
    expect(planRollback(prod(2, [1, 2]), { version: 1, state: 'sealed' })).toEqual({
      ok: true,
      value: { previous: 2 },
    });
    expect(planRollback(prod(3, [1, 3]), { version: 1, state: 'deprecated' }).ok).toBe(true);
  });

  it('refuses going forward, an empty channel, an untried version and a revoked one', () => {
    expect(planRollback(prod(undefined), { version: 1, state: 'sealed' })).toMatchObject({
      reason: /serves nothing/,
    });
    expect(planRollback(prod(2, [1, 2]), { version: 2, state: 'sealed' })).toMatchObject({
      reason: /earlier version/,
    });
    expect(planRollback(prod(2, [1, 2]), { version: 3, state: 'sealed' })).toMatchObject({ ok: false });
    expect(planRollback(prod(3, [1, 3]), { version: 2, state: 'sealed' })).toMatchObject({
      reason: /never served v2/,
    });
    expect(planRollback(prod(2, [1, 2]), { version: 1, state: 'revoked' })).toMatchObject({
      reason: /revoked/,
    });
  });
});

describe('channel history', () => {
  const records = [
    { seq: 11, action: 'promote' as const, version: 1, by: 's', reason: 'first' },
    { seq: 12, action: 'promote' as const, version: 2, by: 's', reason: 'better' },
    { seq: 13, action: 'rollback' as const, version: 1, by: 's', reason: 'v2 regressed' },
  ];

  it('lets a verifier accept a recorded rollback and refuse a silent downgrade', () => {
    const history = channelHistoryOf('prod', records);
    expect(history.served).toEqual([
      { version: 1, at: 11 },
      { version: 2, at: 12 },
      { version: 1, at: 13 },
    ]);
    expect(downgradeProblem(history, 1)).toBeUndefined();
    expect(downgradeProblem(channelHistoryOf('prod', records.slice(0, 2)), 1)).toMatch(/served v2/);
  });
});
