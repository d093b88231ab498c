/**
 * A level-triggered wake-up: a notification that arrives between "found no work" and
 * "start waiting" is not lost, because `clear()` is called before looking for work.
 */
export class WakeSignal {
  private pending = false;
  private waiters: (() => void)[] = [];

  notify(): void {
    this.pending = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Forgets earlier notifications; call right before looking for work. */
  clear(): void {
    this.pending = false;
  }

  /** Resolves at the next notification (at once if one came since `clear`), after `timeoutMs`, or on abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.pending || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        const index = waiters.indexOf(done);
        if (index >= 0) waiters.splice(index, 1);
        resolve();
      }
      waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
