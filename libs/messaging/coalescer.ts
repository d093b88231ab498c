interface Pending<Q, R> {
  request: Q;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Folds concurrent requests into one round trip: a lone request goes out at once (no
 * added latency); requests made while a flush is running wait for it and then go out
 * together. Under load, one query serves many callers (group commit, batched fetches).
 */
export class Coalescer<Q, R> {
  private queue: Pending<Q, R>[] = [];
  private flushing = false;

  /**
   * @param flush answers the requests in order (one result per request)
   * @param maxWeight at most this much weight per flush; a single heavier request still goes alone
   */
  constructor(
    private readonly flush: (requests: Q[]) => Promise<R[]>,
    private readonly maxWeight = 1000,
    private readonly weight: (request: Q) => number = () => 1,
  ) {}

  submit(request: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.flushing) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        let count = 0;
        let weight = 0;
        while (count < this.queue.length) {
          const w = this.weight(this.queue[count]!.request);
          if (count > 0 && weight + w > this.maxWeight) break;
          count++;
          weight += w;
        }
        // One splice, not a shift per request: queues of thousands would be quadratic.
        const taken = this.queue.splice(0, count);
        try {
          const results = await this.flush(taken.map((p) => p.request));
          taken.forEach((p, i) => p.resolve(results[i]!));
        } catch (error) {
          for (const p of taken) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
