/**
 * Runs async tasks one at a time, in call order. The advisory lock already serialises writers across
 * processes; this keeps one process from queueing a pool connection per waiting request on it, and
 * keeps the in-memory tree from being extended by two flows at once.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
