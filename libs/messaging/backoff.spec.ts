import { backoffDelay, sleep } from './backoff';

describe('backoff', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles per attempt, with equal jitter between half and all of the exponential delay', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
  });

  it('is capped by maxDelayMs and zero before any failure', () => {
    expect(backoffDelay(20, policy, () => 1)).toBe(1000);
    expect(backoffDelay(0, policy)).toBe(0);
  });

  it('sleeps until aborted', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, abort.signal);
    abort.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
