export interface RetryPolicy {
  /** Deliveries of one event before it is dead-lettered (EVENT_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Delay before the second delivery; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 10_000 };

/**
 * Delay before the delivery that follows failed attempt `attempt` (1-based): exponential,
 * capped, with "equal jitter" so members retrying together do not stampede in step.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  if (attempt < 1) return 0;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
