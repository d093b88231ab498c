import { WakeSignal } from './wake-signal';

describe('wake signal', () => {
  it('does not lose a notification that arrives before the wait starts', async () => {
    const signal = new WakeSignal();
    signal.clear();
    signal.notify();
    const started = Date.now();
    await signal.wait(5000);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('forgets notifications from before clear, and times out without one', async () => {
    const signal = new WakeSignal();
    signal.notify();
    signal.clear();
    const started = Date.now();
    await signal.wait(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('wakes a waiter on notify and on abort', async () => {
    const signal = new WakeSignal();
    const started = Date.now();
    signal.clear();
    const woken = signal.wait(5000);
    signal.notify();
    await woken;
    signal.clear();
    const abort = new AbortController();
    const aborted = signal.wait(5000, abort.signal);
    abort.abort();
    await aborted;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
